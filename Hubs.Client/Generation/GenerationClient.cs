using Hubs.Contracts.Generation;

namespace Hubs.Client.Generation;

/// <summary>
/// Typed client of <c>/hubs/generation</c>:
/// <c>await foreach (var update in client.Generate(new GenerationRequest("prompt", "user-1"), ct)) { ... }</c>.
/// <see cref="IGenerationClient"/> declares no callbacks, so there is nothing to register.
/// </summary>
public sealed class GenerationClient : TypedHubClient, IGenerationHub
{
    /// <inheritdoc cref="TypedHubClient(HubConnection)"/>
    public GenerationClient(HubConnection connection)
        : base(connection)
    {
    }

    /// <summary>
    /// Runs the agent pipeline and streams its progress, ending with a <see cref="GenerationUpdateType.Complete"/>
    /// or <see cref="GenerationUpdateType.Error"/> update. Cancelling <paramref name="cancellationToken"/> (or
    /// leaving the loop) cancels the generation on the server.
    /// </summary>
    public IAsyncEnumerable<GenerationUpdate> Generate(GenerationRequest request, CancellationToken cancellationToken) =>
        Connection.StreamAsync<GenerationUpdate>(nameof(IGenerationHub.Generate), [request], cancellationToken);
}
