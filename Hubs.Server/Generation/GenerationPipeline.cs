using System.Runtime.CompilerServices;
using System.Text;
using Hubs.Contracts.Generation;

namespace Hubs.Server.Generation;

/// <summary>
/// Runs the agents in order and turns their text into the progress protocol: per agent <c>agent_start</c>,
/// chunks, <c>agent_complete</c>; then <c>complete</c>. A back-end failure ends the stream with one
/// <c>error</c> update and no <c>complete</c>; cancellation ends it with nothing more.
/// </summary>
internal sealed partial class GenerationPipeline
{
    private static readonly Dictionary<string, (string Start, string Done)> PhaseMessages = new(StringComparer.Ordinal)
    {
        [GenerationAgents.Research] = ("Starting research phase...", "Research phase completed"),
        [GenerationAgents.Creator] = ("Starting content creation...", "Content creation completed"),
        [GenerationAgents.Scheduler] = ("Starting scheduling phase...", "Scheduling phase completed"),
    };

    private readonly IContentGenerator _generator;
    private readonly TimeProvider _time;
    private readonly ILogger<GenerationPipeline> _logger;

    public GenerationPipeline(IContentGenerator generator, TimeProvider time, ILogger<GenerationPipeline> logger)
    {
        _generator = generator;
        _time = time;
        _logger = logger;
    }

    public async IAsyncEnumerable<GenerationUpdate> RunAsync(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var outputs = new List<string>(GenerationAgents.Pipeline.Count);
        foreach (var agent in GenerationAgents.Pipeline)
        {
            var (start, done) = PhaseMessages[agent];
            yield return Update(GenerationUpdateType.AgentStart, agent, start);

            var text = new StringBuilder();
            var chunks = _generator.StreamAsync(new GenerationStep(agent, request, outputs), cancellationToken).GetAsyncEnumerator(cancellationToken);
            string? failure = null;
            try
            {
                while (true)
                {
                    string chunk;
                    try
                    {
                        if (!await chunks.MoveNextAsync())
                        {
                            break;
                        }

                        chunk = chunks.Current;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        Log.BackendFailed(_logger, agent, ex);
                        failure = ex.Message;
                        break;
                    }

                    text.Append(chunk);
                    yield return Update(GenerationUpdateType.ContentChunk, agent, content: chunk);
                }
            }
            finally
            {
                await chunks.DisposeAsync();
            }

            if (failure is not null)
            {
                yield return Update(GenerationUpdateType.Error, agent: null, "Error during generation: " + failure);
                yield break;
            }

            outputs.Add(text.ToString());
            yield return Update(GenerationUpdateType.AgentComplete, agent, done);
        }

        yield return Update(GenerationUpdateType.Complete, agent: null, "Content generation completed successfully");
    }

    private GenerationUpdate Update(GenerationUpdateType type, string? agent, string? message = null, string? content = null)
        => new(type, agent, message, content, _time.GetUtcNow());

    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Warning, "Generation back end failed during {Agent}.")]
        public static partial void BackendFailed(ILogger logger, string agent, Exception exception);
    }
}
