using System.Net.WebSockets;
using System.Text.Json;
using Hubs.Contracts.Incidents;
using Hubs.Tests.Infrastructure;
using Hubs.Tests.Security;

namespace Hubs.Tests.Legacy;

public sealed class IncidentsProtocolTests
{
    private static readonly Incident Database = new()
    {
        Id = "inc-1",
        Title = "Database down",
        Severity = "P1",
        State = "Detected",
        Source = "llm-sentinel",
        AffectedResources = ["api-service", "db"],
        Labels = new Dictionary<string, string> { ["env"] = "production" },
    };

    [Fact]
    public async Task Incidents_EveryMessage_AnsweredAsDocumented()
    {
        await using var server = await HubsServer.StartAsync();
        await using var socket = await ConnectAsync(server);

        await socket.SendAsync(new
        {
            type = "subscribe",
            subscription_id = "prod",
            filters = new { severities = new[] { "P1", "P0", "P1" }, labels = new { env = "production" }, states = Array.Empty<string>() },
        });
        var subscribed = await socket.NextAsync();
        subscribed.GetProperty("type").GetString().Should().Be("subscribed");
        subscribed.GetProperty("subscription_id").GetString().Should().Be("prod");
        var filters = subscribed.GetProperty("filters");
        filters.GetProperty("severities").EnumerateArray().Select(s => s.GetString()).Should().BeEquivalentTo(["P0", "P1"], "duplicates are dropped");
        filters.TryGetProperty("states", out _).Should().BeFalse("an empty list matches everything and is dropped");
        filters.GetProperty("labels").GetProperty("env").GetString().Should().Be("production");

        // A second subscription that also matches: the event still arrives once.
        await socket.SendAsync(new { type = "subscribe", subscription_id = "all", filters = new { } });
        (await socket.NextAsync()).GetProperty("type").GetString().Should().Be("subscribed");

        var id = await server.PublishIncidentAsync("incident_created", Database);
        var delivered = await socket.NextAsync();
        delivered.GetProperty("type").GetString().Should().Be("event");
        delivered.GetProperty("message_id").GetString().Should().Be(id);
        GenerationProtocolTests.AssertTimestamp(delivered.GetProperty("timestamp"));
        var @event = delivered.GetProperty("event");
        @event.GetProperty("event_type").GetString().Should().Be("incident_created");
        @event.GetProperty("priority").GetString().Should().Be("high");
        var incident = @event.GetProperty("incident");
        incident.GetProperty("id").GetString().Should().Be("inc-1");
        incident.GetProperty("title").GetString().Should().Be("Database down");
        incident.GetProperty("severity").GetString().Should().Be("P1");
        incident.GetProperty("state").GetString().Should().Be("Detected");
        incident.GetProperty("source").GetString().Should().Be("llm-sentinel");
        incident.GetProperty("affected_resources").EnumerateArray().Select(r => r.GetString()).Should().Equal("api-service", "db");
        incident.GetProperty("labels").GetProperty("env").GetString().Should().Be("production");

        await socket.SendAsync(new { type = "ack", message_id = id });
        await socket.SendAsync(new { type = "ping", timestamp = "2025-11-25T11:30:00Z" });
        var pong = await socket.NextAsync();
        pong.GetProperty("type").GetString().Should().Be("pong", "ack has no reply, no duplicate event came");
        pong.GetProperty("timestamp").GetString().Should().Be("2025-11-25T11:30:00Z");
        GenerationProtocolTests.AssertTimestamp(pong.GetProperty("server_time"));

        await socket.SendAsync(new { type = "unsubscribe", subscription_id = "all" });
        var unsubscribed = await socket.NextAsync();
        unsubscribed.GetProperty("type").GetString().Should().Be("unsubscribed");
        unsubscribed.GetProperty("subscription_id").GetString().Should().Be("all");

        // Only "prod" is left: a P3 event is filtered out, the next P0 one arrives, message ids increase.
        await server.PublishIncidentAsync("incident_updated", Database with { Severity = "P3" });
        var next = await server.PublishIncidentAsync("escalated", Database with { Severity = "P0" });
        var escalated = await socket.NextAsync();
        escalated.GetProperty("message_id").GetString().Should().Be(next);
        escalated.GetProperty("event").GetProperty("priority").GetString().Should().Be("critical");
        string.CompareOrdinal(next, id).Should().BePositive();

        await socket.SendAsync(new { type = "unsubscribe", subscription_id = "all" });
        var notFound = await socket.NextAsync();
        notFound.GetProperty("type").GetString().Should().Be("error");
        notFound.GetProperty("code").GetString().Should().Be("NOT_FOUND");
        notFound.GetProperty("message").GetString().Should().Contain("all");
    }

    [Fact]
    public async Task Subscribe_WithSince_ReplaysTheGapBeforeLiveEvents()
    {
        await using var server = await HubsServer.StartAsync();
        var first = await server.PublishIncidentAsync("incident_created", Database);
        var second = await server.PublishIncidentAsync("incident_updated", Database);
        var third = await server.PublishIncidentAsync("incident_resolved", Database);
        await using var socket = await ConnectAsync(server);

        await socket.SendAsync(new { type = "subscribe", subscription_id = "s", filters = new { }, since = first });
        var frames = new List<JsonElement>();
        while (frames.Count == 0 || frames[^1].GetProperty("type").GetString() != "subscribed")
        {
            frames.Add(await socket.NextAsync());
        }

        var live = await server.PublishIncidentAsync("alert_received", Database);
        frames.Add(await socket.NextAsync());

        frames.Where(f => f.GetProperty("type").GetString() == "event").Select(f => f.GetProperty("message_id").GetString())
            .Should().Equal(second, third, live);
    }

    [Fact]
    public async Task Incidents_MalformedFrames_ErrorCodeForEachAndTheSocketStaysUsable()
    {
        await using var server = await HubsServer.StartAsync();
        await using var socket = await ConnectAsync(server);

        var cases = new (string Frame, string Code)[]
        {
            ("{{", "INVALID_MESSAGE"),
            ("\"subscribe\"", "INVALID_MESSAGE"),
            ("{\"subscription_id\":\"s\"}", "INVALID_MESSAGE"),
            ("{\"type\":\"replay\"}", "UNSUPPORTED"),
            ("{\"type\":\"subscribe\"}", "INVALID_MESSAGE"),
            ("{\"type\":\"subscribe\",\"subscription_id\":\"s\",\"filters\":[]}", "INVALID_MESSAGE"),
            ("{\"type\":\"subscribe\",\"subscription_id\":\"s\",\"filters\":{\"severities\":\"P1\"}}", "INVALID_MESSAGE"),
            ("{\"type\":\"subscribe\",\"subscription_id\":\"s\",\"filters\":{\"severities\":[\"P9\"]}}", "INVALID_MESSAGE"),
            ("{\"type\":\"subscribe\",\"subscription_id\":\"s\",\"since\":\"yesterday\"}", "INVALID_MESSAGE"),
            ("{\"type\":\"unsubscribe\",\"subscription_id\":\"never\"}", "NOT_FOUND"),
            ("{\"type\":\"ack\"}", "INVALID_MESSAGE"),
        };
        foreach (var (frame, code) in cases)
        {
            await socket.SendTextAsync(frame);
            var error = await socket.NextAsync();
            error.GetProperty("type").GetString().Should().Be("error", "the answer to {0}", frame);
            error.GetProperty("code").GetString().Should().Be(code, "the answer to {0}", frame);
            error.GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
        }

        await socket.SendBinaryAsync([0x7b, 0x7d]);
        (await socket.NextAsync()).GetProperty("code").GetString().Should().Be("INVALID_MESSAGE");

        await socket.SendAsync(new { type = "subscribe", subscription_id = "s", filters = new { } });
        (await socket.NextAsync()).GetProperty("type").GetString().Should().Be("subscribed");
    }

    [Fact]
    public async Task Incidents_NotGrantedAndOverTheRateLimit_UnauthorizedAndRateLimitedCodes()
    {
        await using var server = await UserChannelProtocolTests.StartProductionAsync("Limits:MessagesPerMinutePerUser=2");
        await using var denied = await ConnectAsync(server, "?token=" + TestTokens.Create("mallory"));
        await denied.SendAsync(new { type = "subscribe", subscription_id = "s", filters = new { } });
        (await denied.NextAsync()).GetProperty("code").GetString().Should().Be("UNAUTHORIZED");
        await denied.SendAsync(new { type = "ping", timestamp = 1 });
        (await denied.NextAsync()).GetProperty("type").GetString().Should().Be("pong", "the socket stays up");

        await using var busy = await ConnectAsync(server, "?token=" + TestTokens.Create("ops", roles: ["incidents"]));
        for (var i = 0; i < 2; i++)
        {
            await busy.SendAsync(new { type = "subscribe", subscription_id = "s" + i, filters = new { } });
            (await busy.NextAsync()).GetProperty("type").GetString().Should().Be("subscribed");
        }

        await busy.SendAsync(new { type = "subscribe", subscription_id = "s9", filters = new { } });
        var limited = await busy.NextAsync();
        limited.GetProperty("code").GetString().Should().Be("RATE_LIMITED");
        limited.GetProperty("message").GetString().Should().Be("Rate limit exceeded");
    }

    [Fact]
    public async Task Incidents_NoClientFrameForTheSessionTimeout_ClosingSessionTimeoutThenClose()
    {
        await using var server = await HubsServer.StartAsync("Legacy:SessionTimeoutSeconds=1");
        await using var socket = await ConnectAsync(server);

        var frames = await socket.ReadToCloseAsync();

        frames.Should().ContainSingle();
        frames[0].GetProperty("type").GetString().Should().Be("closing");
        frames[0].GetProperty("reason").GetString().Should().Be("session_timeout");
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
    }

    [Fact]
    public async Task Incidents_LegacyAndSignalRSubscribersOfOneFilter_SeeTheSameEvents()
    {
        await using var server = await HubsServer.StartAsync();
        await using var legacy = await ConnectAsync(server);
        await legacy.SendAsync(new { type = "subscribe", subscription_id = "p0", filters = new { severities = new[] { "P0" } } });
        await legacy.NextAsync();
        await using var signalR = await RawSignalRSocket.ConnectAsync(server.WebSocketUri("/hubs/incidents"));
        await signalR.InvokeAsync("1", "Subscribe", "p0", new { severities = new[] { "P0" } }, null);
        await signalR.WaitForCompletionAsync("1");

        await server.PublishIncidentAsync("incident_created", Database with { Severity = "P2" });
        var wanted = await server.PublishIncidentAsync("incident_created", Database with { Id = "inc-2", Severity = "P0" });

        var legacyEvent = await legacy.NextAsync();
        var signalREvent = await ProjectsProtocolTests.NextInvocationAsync(signalR, "IncidentEvent");
        legacyEvent.GetProperty("message_id").GetString().Should().Be(wanted);
        signalREvent.GetProperty("message_id").GetString().Should().Be(wanted);
        legacyEvent.GetProperty("event").GetRawText().Should().Be(signalREvent.GetProperty("event").GetRawText(), "one shape on every face");
    }

    [Fact]
    public async Task Incidents_ManyQuickSends_EveryAnswerIsOneWellFormedFrame()
    {
        await using var server = await HubsServer.StartAsync();
        await using var socket = await ConnectAsync(server);
        const int Count = 2000;

        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < Count; i++)
            {
                await socket.SendAsync(new { type = "ping", timestamp = i });
            }
        });

        for (var i = 0; i < Count; i++)
        {
            var text = await socket.ReceiveTextAsync();
            using var frame = JsonDocument.Parse(text!);
            frame.RootElement.GetProperty("type").GetString().Should().Be("pong");
            frame.RootElement.GetProperty("timestamp").GetInt32().Should().Be(i, "one frame per answer, in order");
        }

        await sending;
    }

    private static async Task<LegacySocket> ConnectAsync(HubsServer server, string query = "")
    {
        var socket = await LegacySocket.ConnectAsync(server.WebSocketUri("/ws" + query));
        var welcome = await socket.NextAsync();
        welcome.GetProperty("type").GetString().Should().Be("welcome");
        Guid.TryParse(welcome.GetProperty("session_id").GetString(), out _).Should().BeTrue();
        GenerationProtocolTests.AssertTimestamp(welcome.GetProperty("server_time"));
        return socket;
    }
}
