using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Hubs.Contracts.Generation;

namespace Hubs.Server.Generation;

/// <summary>
/// The offline back end: fills a fixed template per agent from the request and streams it word by word.
/// Deterministic (same request, same chunks) so tests and demos need no network.
/// </summary>
internal sealed class TemplateContentGenerator : IContentGenerator
{
    private readonly IOptions<GenerationOptions> _options;
    private readonly TimeProvider _time;

    public TemplateContentGenerator(IOptions<GenerationOptions> options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    public async IAsyncEnumerable<string> StreamAsync(GenerationStep step, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var delay = _options.Value.TemplateChunkDelay;
        var text = Render(step);
        var start = 0;
        while (start < text.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = text.IndexOf(' ', start + 1);
            end = end < 0 ? text.Length : end;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _time, cancellationToken);
            }

            yield return text[start..end];
            start = end;
        }
    }

    internal static string Render(GenerationStep step)
    {
        var request = step.Request;
        var brand = string.IsNullOrEmpty(request.BrandProfileId) ? "the default brand voice" : $"brand profile {request.BrandProfileId}";
        return step.Agent switch
        {
            GenerationAgents.Research =>
                $"Research notes on \"{request.Prompt}\": audience, three key angles, and sources to cite, in {brand}.",
            GenerationAgents.Creator =>
                $"Draft post: {request.Prompt}. Why it matters, what to do next, and a clear call to action, written for {request.UserId} in {brand}.",
            GenerationAgents.Scheduler =>
                "Schedule: publish Tuesday 09:00 UTC on the blog, Wednesday 12:00 UTC on social, follow-up Friday.",
            _ => throw new ArgumentOutOfRangeException(nameof(step), step.Agent, "Unknown agent."),
        };
    }
}
