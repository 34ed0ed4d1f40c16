using System.Runtime.CompilerServices;
using Hubs.Contracts.Generation;
using Hubs.Server.Generation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hubs.Tests.Generation;

public sealed class GenerationPipelineTests
{
    private static readonly GenerationRequest Request = new("spring launch", "user-1", "brand-9");

    private static GenerationPipeline Pipeline(IContentGenerator generator) => new(generator, TimeProvider.System, NullLogger<GenerationPipeline>.Instance);

    private static TemplateContentGenerator Template() => new(Options.Create(new GenerationOptions { TemplateChunkDelay = TimeSpan.Zero }), TimeProvider.System);

    [Fact]
    public async Task RunAsync_TemplateBackend_StreamsEachAgentInOrderThenComplete()
    {
        var updates = await Pipeline(Template()).RunAsync(Request, CancellationToken.None).ToListAsync();

        updates.Where(u => u.Type != GenerationUpdateType.ContentChunk).Select(u => (u.Type, u.Agent)).Should().Equal(
            (GenerationUpdateType.AgentStart, "ResearchAgent"), (GenerationUpdateType.AgentComplete, "ResearchAgent"),
            (GenerationUpdateType.AgentStart, "CreatorAgent"), (GenerationUpdateType.AgentComplete, "CreatorAgent"),
            (GenerationUpdateType.AgentStart, "SchedulerAgent"), (GenerationUpdateType.AgentComplete, "SchedulerAgent"),
            (GenerationUpdateType.Complete, null));
        updates[0].Message.Should().Be("Starting research phase...");
        updates.Last().Message.Should().Be("Content generation completed successfully");
        string.Concat(updates.Where(u => u.Type == GenerationUpdateType.ContentChunk && u.Agent == "CreatorAgent").Select(u => u.Content))
            .Should().Be(TemplateContentGenerator.Render(new GenerationStep("CreatorAgent", Request, [])));
    }

    [Fact]
    public async Task RunAsync_SameRequest_IsDeterministic()
    {
        var first = await Pipeline(Template()).RunAsync(Request, CancellationToken.None).Select(u => u.Content).ToListAsync();
        var second = await Pipeline(Template()).RunAsync(Request, CancellationToken.None).Select(u => u.Content).ToListAsync();
        first.Should().Equal(second);
    }

    [Fact]
    public async Task RunAsync_BackendFailsInSecondAgent_EndsWithOneErrorAndNoComplete()
    {
        var updates = await Pipeline(new FailingGenerator("CreatorAgent")).RunAsync(Request, CancellationToken.None).ToListAsync();

        updates.Last().Type.Should().Be(GenerationUpdateType.Error);
        updates.Last().Message.Should().Be("Error during generation: upstream exploded");
        updates.Should().NotContain(u => u.Type == GenerationUpdateType.Complete);
        updates.Should().ContainSingle(u => u.Type == GenerationUpdateType.AgentComplete && u.Agent == "ResearchAgent");
        updates.Should().NotContain(u => u.Agent == "SchedulerAgent");
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsTheBackend()
    {
        var generator = new EndlessGenerator();
        using var cts = new CancellationTokenSource();
        var seen = 0;
        var act = async () =>
        {
            await foreach (var update in Pipeline(generator).RunAsync(Request, cts.Token))
            {
                if (++seen == 5)
                {
                    await cts.CancelAsync();
                }
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        generator.Stopped.Task.IsCompletedSuccessfully.Should().BeTrue("the back end's enumeration must be disposed when the stream is cancelled");
    }

    private sealed class FailingGenerator(string failingAgent) : IContentGenerator
    {
        public async IAsyncEnumerable<string> StreamAsync(GenerationStep step, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            yield return "partial ";
            await Task.Yield();
            if (step.Agent == failingAgent)
            {
                throw new HttpRequestException("upstream exploded");
            }
        }
    }

    private sealed class EndlessGenerator : IContentGenerator
    {
        public TaskCompletionSource Stopped { get; } = new();

        public async IAsyncEnumerable<string> StreamAsync(GenerationStep step, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            try
            {
                while (true)
                {
                    await Task.Yield();
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return "x";
                }
            }
            finally
            {
                Stopped.TrySetResult();
            }
        }
    }
}
