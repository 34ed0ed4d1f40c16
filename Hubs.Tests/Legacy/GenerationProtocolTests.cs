using System.Net.WebSockets;
using System.Text.Json;
using Hubs.Tests.Infrastructure;

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
