using System.Net;
using System.Text.Json;
using Hubs.Tests.Infrastructure;
using Hubs.Tests.Security;

namespace Hubs.Tests.Legacy;

public sealed class ProjectsProtocolTests
{
    [Fact]
    public async Task Projects_EveryAction_AnsweredAsDocumented()
    {
        await using var server = await HubsServer.StartAsync();
        await using var socket = await ConnectAsync(server, "/ws/projects");

        await socket.SendAsync(new { action = "subscribe", project_id = "p1" });
        var confirmed = await socket.NextAsync();
        confirmed.GetProperty("type").GetString().Should().Be("subscription_confirmed");
        confirmed.GetProperty("project_id").GetString().Should().Be("p1");

        var id = await server.PublishProjectUpdateAsync("p1", new { status = "completed", files = new[] { "main.py" } });
        var update = await socket.NextAsync();
        update.GetProperty("type").GetString().Should().Be("project_updated");
        update.GetProperty("project_id").GetString().Should().Be("p1");
        update.GetProperty("data").GetProperty("status").GetString().Should().Be("completed");
        update.GetProperty("message_id").GetString().Should().Be(id);
        GenerationProtocolTests.AssertTimestamp(update.GetProperty("timestamp"));

        await server.PublishProjectUpdateAsync("p1", new { step = 2 }, type: "build_finished");
        (await socket.NextAsync()).GetProperty("type").GetString().Should().Be("build_finished", "the publisher's type is kept");

        await socket.SendAsync(new { action = "forward", type = "dev", message_id = "msg_123", project_id = "p1", data = new { task = "generate_code" } });
        var forwarded = await socket.NextAsync();
        forwarded.GetProperty("type").GetString().Should().Be("forwarded");
        forwarded.GetProperty("message_id").GetString().Should().Be("msg_123");
        forwarded.GetProperty("queue").GetString().Should().Be("dev");

        await socket.SendAsync(new { action = "ping" });
        var pong = await socket.NextAsync();
        pong.GetProperty("type").GetString().Should().Be("pong");
        GenerationProtocolTests.AssertTimestamp(pong.GetProperty("timestamp"));

        await socket.SendAsync(new { action = "unsubscribe", project_id = "p1" });
        var unsubscribed = await socket.NextAsync();
        unsubscribed.GetProperty("type").GetString().Should().Be("unsubscription_confirmed");
        unsubscribed.GetProperty("project_id").GetString().Should().Be("p1");

        await server.PublishProjectUpdateAsync("p1", new { status = "late" });
        await socket.SendAsync(new { action = "ping" });
        (await socket.NextAsync()).GetProperty("type").GetString().Should().Be("pong", "no update arrives after unsubscribing");
    }

    [Fact]
    public async Task Ws_WithProjectIdQuery_SpeaksProjectsAndIsSubscribedAtOnce()
    {
        await using var server = await HubsServer.StartAsync();
        await using var socket = await ConnectAsync(server, "/ws?project_id=proj_123");

        (await socket.NextAsync()).GetProperty("type").GetString().Should().Be("subscription_confirmed");
        await server.PublishProjectUpdateAsync("proj_123", new { status = "done" });

        var update = await socket.NextAsync();
        update.GetProperty("type").GetString().Should().Be("project_updated");
        update.GetProperty("project_id").GetString().Should().Be("proj_123");
    }

    [Fact]
    public async Task Projects_MalformedFrames_ErrorForEachAndTheSocketStaysUsable()
    {
        await using var server = await HubsServer.StartAsync();
        await using var socket = await ConnectAsync(server, "/ws/projects");

        var cases = new (string Frame, string Contains)[]
        {
            ("nope", "not valid JSON"),
            ("[]", "JSON object"),
            ("{\"project_id\":\"p1\"}", "action is required"),
            ("{\"action\":\"fly\"}", "Unknown action: fly"),
            ("{\"action\":\"subscribe\"}", "project_id is required"),
            ("{\"action\":\"subscribe\",\"project_id\":1}", "project_id must be a string"),
            ("{\"action\":\"forward\",\"type\":\"cto\",\"message_id\":\"m\",\"project_id\":\"p1\",\"data\":{}}", "unknown queue type 'cto'"),
            ("{\"action\":\"forward\",\"type\":\"qa\",\"project_id\":\"p1\"}", "message_id is required"),
        };
        foreach (var (frame, contains) in cases)
        {
            await socket.SendTextAsync(frame);
            var error = await socket.NextAsync();
            error.GetProperty("type").GetString().Should().Be("error");
            error.GetProperty("message").GetString().Should().Contain(contains, "the answer to {0}", frame);
            error.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(["type", "message"]);
        }

        await socket.SendBinaryAsync([0x7b, 0x7d]);
        (await socket.NextAsync()).GetProperty("type").GetString().Should().Be("error");

        await socket.SendAsync(new { action = "subscribe", project_id = "p1" });
        (await socket.NextAsync()).GetProperty("type").GetString().Should().Be("subscription_confirmed");
    }

    [Fact]
    public async Task Projects_ProjectNotGranted_ErrorAndTheSocketStaysUp()
    {
        await using var server = await UserChannelProtocolTests.StartProductionAsync();
        var token = TestTokens.Create("alice", projects: ["p1"]);
        await using var socket = await ConnectAsync(server, "/ws/projects?token=" + token);

        await socket.SendAsync(new { action = "subscribe", project_id = "p2" });
        var error = await socket.NextAsync();
        error.GetProperty("type").GetString().Should().Be("error");
        error.GetProperty("message").GetString().Should().Contain("p2");

        await socket.SendAsync(new { action = "subscribe", project_id = "p1" });
        (await socket.NextAsync()).GetProperty("type").GetString().Should().Be("subscription_confirmed");
    }

    [Theory]
    [InlineData("/ws/projects")]
    [InlineData("/ws?project_id=p1")]
    [InlineData("/ws")]
    [InlineData("/ws/stream-generation")]
    public async Task Production_NoToken_UpgradeRefusedWith401(string path)
    {
        await using var server = await UserChannelProtocolTests.StartProductionAsync();

        (await LegacySocket.RefusedStatusAsync(server.WebSocketUri(path))).Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Projects_LegacyAndSignalRClientsOnOneProject_SeeTheSameUpdates()
    {
        await using var server = await HubsServer.StartAsync();
        await using var legacy = await ConnectAsync(server, "/ws/projects");
        await legacy.SendAsync(new { action = "subscribe", project_id = "shared" });
        await legacy.NextAsync();
        await using var signalR = await RawSignalRSocket.ConnectAsync(server.WebSocketUri("/hubs/projects"));
        await signalR.InvokeAsync("1", "Subscribe", "shared", null);
        await signalR.WaitForCompletionAsync("1");

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await server.PublishProjectUpdateAsync("shared", new { n = i }));
        }

        var legacyIds = new List<string>();
        var signalRIds = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            legacyIds.Add((await legacy.NextAsync()).GetProperty("message_id").GetString()!);
            signalRIds.Add((await NextInvocationAsync(signalR, "ProjectUpdated")).GetProperty("message_id").GetString()!);
        }

        legacyIds.Should().Equal(ids);
        signalRIds.Should().Equal(ids);
    }

    internal static async Task<JsonElement> NextInvocationAsync(RawSignalRSocket socket, string target)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await socket.ReceiveAsync(timeout.Token) is { } message)
        {
            using (message)
            {
                var root = message.RootElement;
                if (root.GetProperty("type").GetInt32() == 1 && root.GetProperty("target").GetString() == target)
                {
                    return root.GetProperty("arguments")[0].Clone();
                }
            }
        }

        throw new InvalidOperationException("The SignalR socket closed.");
    }

    private static async Task<LegacySocket> ConnectAsync(HubsServer server, string pathAndQuery)
    {
        var socket = await LegacySocket.ConnectAsync(server.WebSocketUri(pathAndQuery));
        var connected = await socket.NextAsync();
        connected.GetProperty("type").GetString().Should().Be("connected");
        connected.GetProperty("message").GetString().Should().Be("WebSocket connection established");
        GenerationProtocolTests.AssertTimestamp(connected.GetProperty("timestamp"));
        return socket;
    }
}
