using System.Net.WebSockets;
using System.Text.Json;
using Hubs.Server.Generation;
using Hubs.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Hubs.Tests.Legacy;

public sealed class GenerationProtocolTests
{
    private const string Path = "/ws/stream-generation";

    [Fact]
    public async Task Generate_Request_StreamsEveryAgentInOrderThenComplete()
    {
        await using var server = await HubsServer.StartAsync();
        await using var socket = await LegacySocket.ConnectAsync(server.WebSocketUri(Path));

        var connected = await socket.NextAsync();
        connected.GetProperty("type").GetString().Should().Be("connected");
        Guid.TryParse(connected.GetProperty("client_id").GetString(), out _).Should().BeTrue();
        connected.GetProperty("message").GetString().Should().Be("WebSocket connection established");

        await socket.SendAsync(new { prompt = "Write about tea", user_id = "user-123", brand_profile_id = "brand-456" });
        var frames = await ReadGenerationAsync(socket);

        var sequence = frames.Select(f => f.GetProperty("type").GetString() + ":" + (f.TryGetProperty("agent", out var a) ? a.GetString() : "")).ToList();
        sequence.Where(s => !s.StartsWith("content_chunk", StringComparison.Ordinal)).Should().Equal(
            "agent_start:ResearchAgent", "agent_complete:ResearchAgent",
            "agent_start:CreatorAgent", "agent_complete:CreatorAgent",
            "agent_start:SchedulerAgent", "agent_complete:SchedulerAgent",
            "complete:");
        frames.Should().Contain(f => f.GetProperty("type").GetString() == "content_chunk");
        foreach (var frame in frames)
        {
            AssertTimestamp(frame.GetProperty("timestamp"));
            switch (frame.GetProperty("type").GetString())
            {
                case "agent_start" or "agent_complete":
                    frame.GetProperty("message").ValueKind.Should().Be(JsonValueKind.String);
                    break;
                case "content_chunk":
                    frame.GetProperty("content").ValueKind.Should().Be(JsonValueKind.String);
                    frame.GetProperty("agent").ValueKind.Should().Be(JsonValueKind.String);
                    break;
                case "complete":
                    frame.GetProperty("message").GetString().Should().Be("Content generation completed successfully");
                    break;
            }
        }

        // The same socket takes the next request once the first completed.
        await socket.SendAsync(new { prompt = "again", user_id = "user-123" });
        (await ReadGenerationAsync(socket)).Last().GetProperty("type").GetString().Should().Be("complete");
    }

    [Fact]
    public async Task Generate_MalformedFrames_ErrorForEachAndTheSocketStaysUsable()
    {
        await using var server = await HubsServer.StartAsync();
        await using var socket = await LegacySocket.ConnectAsync(server.WebSocketUri(Path));
        await socket.NextAsync();

        string[] bad =
        [
            "not json",
            "[1,2]",
            "\"text\"",
            "{\"prompt\":\"x\"}",
            "{\"user_id\":\"u\",\"prompt\":\"\"}",
            "{\"prompt\":5,\"user_id\":\"u\"}",
            "{\"type\":\"ping\"}",
            "{} {}",
        ];
        foreach (var text in bad)
        {
            await socket.SendTextAsync(text);
            var error = await socket.NextAsync();
            error.GetProperty("type").GetString().Should().Be("error", "'{0}' is not a valid request", text);
            error.GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
            AssertTimestamp(error.GetProperty("timestamp"));
        }

        await socket.SendBinaryAsync([0x7b, 0x7d]);
        (await socket.NextAsync()).GetProperty("type").GetString().Should().Be("error");

        await socket.SendAsync(new { prompt = "still here", user_id = "u" });
        (await ReadGenerationAsync(socket)).Last().GetProperty("type").GetString().Should().Be("complete");
    }

    [Fact]
    public async Task Generate_MissingUserId_ErrorNamesTheFields()
    {
        await using var server = await HubsServer.StartAsync();
        await using var socket = await LegacySocket.ConnectAsync(server.WebSocketUri(Path));
        await socket.NextAsync();

        await socket.SendAsync(new { prompt = "x" });

        var error = await socket.NextAsync();
        error.GetProperty("type").GetString().Should().Be("error");
        error.GetProperty("message").GetString().Should().Contain("user_id");
    }

    [Fact]
    public async Task Generate_RequestWhileOneRuns_ErrorAndTheFirstStillCompletes()
    {
        await using var server = await HubsServer.StartAsync("Generation:TemplateChunkDelay=00:00:00.050");
        await using var socket = await LegacySocket.ConnectAsync(server.WebSocketUri(Path));
        await socket.NextAsync();

        await socket.SendAsync(new { prompt = "first", user_id = "u" });
        (await socket.NextAsync()).GetProperty("type").GetString().Should().Be("agent_start");
        await socket.SendAsync(new { prompt = "second", user_id = "u" });

        var frames = new List<JsonElement>();
        while (frames.Count == 0 || frames[^1].GetProperty("type").GetString() != "complete")
        {
            frames.Add(await socket.NextAsync());
        }

        var busy = frames.Should().ContainSingle(f => f.GetProperty("type").GetString() == "error").Subject;
        busy.GetProperty("message").GetString().Should().Contain("already running");
        frames.Count(f => f.GetProperty("type").GetString() == "agent_start").Should().Be(2, "the first generation goes on to its other two agents");
    }

    [Fact]
    public async Task Generate_ClientClosesMidStream_GenerationIsCancelled()
    {
        await using var server = await HubsServer.StartAsync("Generation:TemplateChunkDelay=00:00:00.200");
        var tracker = server.Services.GetRequiredService<GenerationTracker>();
        var socket = await LegacySocket.ConnectAsync(server.WebSocketUri(Path));
        await socket.NextAsync();
        await socket.SendAsync(new { prompt = "long", user_id = "u" });
        await socket.NextAsync();
        tracker.Running.Should().Be(1);

        await socket.DisposeAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await tracker.WhenIdleAsync(timeout.Token);
        tracker.Running.Should().Be(0);
    }

    [Fact]
    public async Task Generate_SilentClientDuringStreamLongerThanClientTimeout_IsNotCutOff()
    {
        // SignalR would close a hub connection whose client says nothing for ClientTimeoutInterval; a legacy
        // client never sends keep-alives, so the bridge must keep that rule away from it.
        await using var server = await HubsServer.StartAsync(port: 0, b => b.Services.PostConfigure<HubOptions>(o =>
        {
            o.ClientTimeoutInterval = TimeSpan.FromSeconds(1);
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(500);
        }), "Generation:TemplateChunkDelay=00:00:00.080");
        await using var socket = await LegacySocket.ConnectAsync(server.WebSocketUri(Path));
        await socket.NextAsync();

        await socket.SendAsync(new { prompt = "a long one", user_id = "u" });
        var frames = await ReadGenerationAsync(socket);

        frames.Last().GetProperty("type").GetString().Should().Be("complete");
        socket.State.Should().Be(WebSocketState.Open);
    }

    internal static async Task<List<JsonElement>> ReadGenerationAsync(LegacySocket socket)
    {
        var frames = new List<JsonElement>();
        while (true)
        {
            var frame = await socket.NextAsync();
            frames.Add(frame);
            if (frame.GetProperty("type").GetString() is "complete" or "error")
            {
                return frames;
            }
        }
    }

    internal static void AssertTimestamp(JsonElement value)
    {
        value.ValueKind.Should().Be(JsonValueKind.String);
        value.GetString().Should().EndWith("Z");
        DateTimeOffset.TryParse(value.GetString(), out _).Should().BeTrue();
    }
}
