using Hubs.Contracts;
using Hubs.Contracts.Generation;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Server.Generation;

/// <summary><c>/hubs/generation</c>: streams one generation per call; closing the connection or cancelling the stream stops it.</summary>
internal sealed class GenerationHub : Hub<IGenerationClient>, IGenerationHub
{
    private readonly GenerationPipeline _pipeline;

    public GenerationHub(GenerationPipeline pipeline) => _pipeline = pipeline;

    public IAsyncEnumerable<GenerationUpdate> Generate(GenerationRequest request, CancellationToken cancellationToken)
    {
        // Validated before the stream starts, so a bad request is a clear stream error and not a half-run pipeline.
        if (request is null || string.IsNullOrWhiteSpace(request.Prompt) || string.IsNullOrWhiteSpace(request.UserId))
        {
            throw new HubException(HubErrorCodes.Format(HubErrorCodes.InvalidMessage, "prompt and user_id are required and must not be empty"));
        }

        return _pipeline.RunAsync(request, cancellationToken);
    }
}
