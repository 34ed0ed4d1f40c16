using System.Text.Json;
using Hubs.Contracts.Generation;
using Hubs.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hubs.Tests.Generation;

/// <summary>The OpenAI back end against a real local HTTP server that speaks the chat-completions SSE format.</summary>
public sealed class OpenAiContentGeneratorTests : IAsyncLifetime
{
    private WebApplication _upstream = null!;
    private Uri _upstreamUri = null!;
    private readonly List<JsonDocument> _requests = [];
    private volatile bool _fail;
    private readonly TaskCompletionSource _upstreamAborted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _upstream = builder.Build();
        _upstream.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            var body = await JsonDocument.ParseAsync(context.Request.Body);
            lock (_requests)
            {
                _requests.Add(body);
            }

            if (_fail)
            {
                context.Response.StatusCode = 500;
                return;
            }

            var system = body.RootElement.GetProperty("messages")[0].GetProperty("content").GetString()!;
            var slow = body.RootElement.GetProperty("messages")[1].GetProperty("content").GetString()!.Contains("slow", StringComparison.Ordinal);
            context.Response.ContentType = "text/event-stream";
            context.RequestAborted.Register(() => _upstreamAborted.TrySetResult());
            var words = slow ? Enumerable.Repeat("tick ", 10_000) : ["[", system.Split(' ')[3], "]", " done"];
            foreach (var word in words)
            {
                await context.Response.WriteAsync($"data: {{\"choices\":[{{\"delta\":{{\"content\":{JsonSerializer.Serialize(word)}}}}}]}}\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (slow)
                {
                    await Task.Delay(20, context.RequestAborted);
                }
            }

            await context.Response.WriteAsync("data: [DONE]\n\n");
        });
        await _upstream.StartAsync();
        _upstreamUri = new Uri(_upstream.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private Task<HubsServer> StartHubsAsync() => HubsServer.StartAsync(
        "Generation:Backend=OpenAi", $"Generation:OpenAiBaseUrl={_upstreamUri}", "Generation:OpenAiModel=test-model", "Generation:OpenAiApiKey=sk-test");

    [Fact]
    public async Task Generate_OpenAiBackend_StreamsTheUpstreamDeltasPerAgent()
    {
        await using var server = await StartHubsAsync();
        var generator = server.Services.GetRequiredService<Hubs.Server.Generation.GenerationPipeline>();

        var updates = await generator.RunAsync(new GenerationRequest("topic", "u1"), CancellationToken.None).ToListAsync();

        updates.Last().Type.Should().Be(GenerationUpdateType.Complete);
        string.Concat(updates.Where(u => u.Agent == "CreatorAgent" && u.Type == GenerationUpdateType.ContentChunk).Select(u => u.Content))
            .Should().Be("[content] done");
        _requests.Should().HaveCount(3);
        _requests[0].RootElement.GetProperty("stream").GetBoolean().Should().BeTrue();
        _requests[0].RootElement.GetProperty("model").GetString().Should().Be("test-model");
        _requests[2].RootElement.GetProperty("messages")[1].GetProperty("content").GetString().Should().Contain("Earlier agent output");
    }

    [Fact]
    public async Task Generate_UpstreamFails_EndsWithAnErrorUpdate()
    {
        _fail = true;
        await using var server = await StartHubsAsync();
        var generator = server.Services.GetRequiredService<Hubs.Server.Generation.GenerationPipeline>();

        var updates = await generator.RunAsync(new GenerationRequest("topic", "u1"), CancellationToken.None).ToListAsync();

        updates.Last().Type.Should().Be(GenerationUpdateType.Error);
        updates.Last().Message.Should().StartWith("Error during generation: the completion endpoint answered 500");
    }

    [Fact]
    public async Task Generate_Cancelled_ClosesTheUpstreamRequest()
    {
        await using var server = await StartHubsAsync();
        var generator = server.Services.GetRequiredService<Hubs.Server.Generation.GenerationPipeline>();
        using var cts = new CancellationTokenSource();
        var chunks = 0;

        var act = async () =>
        {
            await foreach (var update in generator.RunAsync(new GenerationRequest("slow topic", "u1"), cts.Token))
            {
                if (update.Type == GenerationUpdateType.ContentChunk && ++chunks == 3)
                {
                    await cts.CancelAsync();
                }
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await Task.WhenAny(_upstreamAborted.Task, Task.Delay(TimeSpan.FromSeconds(10)))).Should().Be(_upstreamAborted.Task, "the upstream request must be aborted");
    }
}
