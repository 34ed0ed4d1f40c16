using System.Runtime.CompilerServices;
using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Generation;
using Hubs.Server.Projects;
using Hubs.Server.Security;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Server.Generation;

/// <summary>
/// <c>/hubs/generation</c>: streams one generation per call; closing the connection or cancelling the stream stops
/// it. With a <c>project_id</c>, the project's subscribers watch the same updates.
/// </summary>
internal sealed class GenerationHub : Hub<IGenerationClient>, IGenerationHub
{
    private const int MaxPromptLength = 20_000;

    private readonly GenerationPipeline _pipeline;
    private readonly GenerationTracker _tracker;
    private readonly ProjectsFeed _projects;
    private readonly IProjectAccess _projectAccess;

    public GenerationHub(GenerationPipeline pipeline, GenerationTracker tracker, ProjectsFeed projects, IProjectAccess projectAccess)
    {
        _pipeline = pipeline;
        _tracker = tracker;
        _projects = projects;
        _projectAccess = projectAccess;
    }

    public IAsyncEnumerable<GenerationUpdate> Generate(GenerationRequest request, CancellationToken cancellationToken)
    {
        // Validated before the stream starts, so a bad request is a clear stream error and not a half-run pipeline.
        if (request is null || string.IsNullOrWhiteSpace(request.Prompt) || string.IsNullOrWhiteSpace(request.UserId))
        {
            throw new HubException(HubErrorCodes.Format(HubErrorCodes.InvalidMessage, "prompt and user_id are required and must not be empty"));
        }

        if (request.Prompt.Length > MaxPromptLength)
        {
            throw new HubException(HubErrorCodes.Format(HubErrorCodes.InvalidMessage, $"prompt must be at most {MaxPromptLength} characters"));
        }

        // Sharing with a project publishes into it, so it needs the same access as subscribing to it.
        if (!string.IsNullOrWhiteSpace(request.ProjectId))
        {
            _projectAccess.Demand(Context.User, request.ProjectId);
        }

        var updates = _tracker.Track(_pipeline.RunAsync(request, cancellationToken), cancellationToken);
        return string.IsNullOrWhiteSpace(request.ProjectId) ? updates : ShareWithProject(updates, request, Guid.NewGuid().ToString("N"), cancellationToken);
    }

    private async IAsyncEnumerable<GenerationUpdate> ShareWithProject(IAsyncEnumerable<GenerationUpdate> updates, GenerationRequest request, string generationId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var update in updates.WithCancellation(cancellationToken))
        {
            var progress = new GenerationProgress(generationId, request.UserId, update);
            await _projects.PublishAsync(request.ProjectId!, GenerationProgress.UpdateType, JsonSerializer.SerializeToElement(progress, HubsJson.Options), cancellationToken);
            yield return update;
        }
    }
}
