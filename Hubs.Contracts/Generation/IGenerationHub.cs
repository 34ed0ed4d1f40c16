namespace Hubs.Contracts.Generation;

/// <summary>Server methods of <c>/hubs/generation</c>.</summary>
public interface IGenerationHub
{
    /// <summary>
    /// Runs the agent pipeline (Research → Creator → Scheduler) and streams its progress:
    /// per agent <c>agent_start</c>, zero or more <c>content_chunk</c>, <c>agent_complete</c>; then <c>complete</c>,
    /// or <c>error</c> instead of the rest when the back end fails. Cancelling the stream stops the back end.
    /// </summary>
    IAsyncEnumerable<GenerationUpdate> Generate(GenerationRequest request, CancellationToken cancellationToken);
}
