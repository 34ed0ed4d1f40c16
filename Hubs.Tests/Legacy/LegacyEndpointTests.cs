using System.Net;
using System.Net.WebSockets;
using Hubs.Contracts.Incidents;
using Hubs.Server.Delivery;
using Hubs.Server.Incidents;
using Hubs.Tests.Infrastructure;
using Hubs.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Hubs.Tests.Legacy;

/// <summary>What the four legacy endpoints share: size limit, origin check, graceful-shutdown goodbyes, slow consumers.</summary>
public sealed class LegacyEndpointTests
{
    public static TheoryData<string> Paths => new()
    {
        "/ws/stream-generation",
        "/api/ws/alice?token=" + TestTokens.Create("alice"),
        "/ws/projects",
        "/ws?project_id=p1",
        "/ws",
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Frame_OverTheMessageLimit_ClosedWith1009(string path)
    {
        await using var server = await HubsServer.StartAsync(TestTokens.KeySetting, "Limits:MaxMessageBytes=4096");
        await using var socket = await LegacySocket.ConnectAsync(server.WebSocketUri(path));
        await socket.NextAsync();
        if (path.Contains("project_id", StringComparison.Ordinal))
        {
            await socket.NextAsync();
        }

        // Just under the limit is still a message (the bridge adds one separator byte).
        await socket.SendTextAsync("{\"pad\":\"" + new string('x', 4096 - 11) + "\"}");
        (await socket.NextAsync()).GetProperty("type").GetString().Should().NotBeNull();

        await socket.SendTextAsync("{\"pad\":\"" + new string('x', 5000) + "\"}");
        (await socket.ReadToCloseAsync()).Should().BeEmpty("nothing follows an oversized frame but the close");

        socket.CloseStatus.Should().Be(WebSocketCloseStatus.MessageTooBig);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Upgrade_FromAnOriginNotAllowed_Refused403(string path)
    {
        await using var server = await HubsServer.StartAsync(TestTokens.KeySetting, "CORS_ORIGINS=https://app.example");

        (await LegacySocket.RefusedStatusAsync(server.WebSocketUri(path), origin: "https://evil.example")).Should().Be(HttpStatusCode.Forbidden);
        await using var allowed = await LegacySocket.ConnectAsync(server.WebSocketUri(path), origin: "https://app.example");
        (await allowed.NextAsync()).GetProperty("type").GetString().Should().NotBeNull();
    }

    [Fact]
    public async Task Shutdown_EveryLegacySocket_GetsItsGoodbyeThenClose1001()
    {
        var server = await HubsServer.StartAsync(TestTokens.KeySetting, "Shutdown:DrainTimeout=00:00:05");
        var sockets = new Dictionary<string, LegacySocket>();
        try
        {
            foreach (var path in new[] { "/ws/stream-generation", "/api/ws/alice?token=" + TestTokens.Create("alice"), "/ws/projects", "/ws?project_id=p1", "/ws" })
            {
                var socket = await LegacySocket.ConnectAsync(server.WebSocketUri(path));
                await socket.NextAsync();
                sockets[path.Split('?')[0] + (path.Contains("project_id", StringComparison.Ordinal) ? "?project_id" : "")] = socket;
            }

            await sockets["/ws?project_id"].NextAsync();
            var reads = sockets.ToDictionary(s => s.Key, s => s.Value.ReadToCloseAsync());
            await server.DisposeAsync();

            foreach (var (path, read) in reads)
            {
                var frames = await read;
                sockets[path].CloseStatus.Should().Be(WebSocketCloseStatus.EndpointUnavailable, "{0} closes with 1001", path);
                var goodbye = frames.Select(f => f.GetRawText()).ToList();
                switch (path)
                {
                    case "/ws":
                        goodbye.Should().Equal("""{"type":"closing","reason":"server_shutdown"}""");
                        break;
                    case "/api/ws/alice":
                        goodbye.Should().BeEmpty("seed 001 has no goodbye message");
                        break;
                    default:
                        goodbye.Should().Equal("""{"type":"shutdown","message":"Server is shutting down, please reconnect"}""");
                        break;
                }
            }
        }
        finally
        {
            foreach (var socket in sockets.Values)
            {
                await socket.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task SlowConsumer_IncidentSocketThatStopsReading_ClosingSlowConsumerBeforeTheClose()
    {
        await using var server = await HubsServer.StartAsync("Delivery:MaxPendingMessages=20");
        var cutOff = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Services.GetRequiredService<SlowConsumerHandler>().Disconnected += _ => cutOff.TrySetResult();
        await using var socket = await LegacySocket.ConnectAsync(server.WebSocketUri("/ws"));
        await socket.NextAsync();
        await socket.SendAsync(new { type = "subscribe", subscription_id = "all", filters = new { } });
        await socket.NextAsync();

        // The client reads nothing while big events fill its socket buffers, the bridge's pipe, then its outbox.
        var feed = server.Services.GetRequiredService<IncidentsFeed>();
        var title = new string('x', 16 * 1024);
        for (var i = 0; i < 3000 && !cutOff.Task.IsCompleted; i++)
        {
            await feed.PublishAsync("incident_created", new Incident { Id = $"inc-{i}", Severity = "P2", Title = title }, CancellationToken.None);
        }

        (await Task.WhenAny(cutOff.Task, Task.Delay(TimeSpan.FromSeconds(30)))).Should().Be(cutOff.Task, "the stalled client must be cut off");
        var frames = await socket.ReadToCloseAsync();

        frames.Should().NotBeEmpty();
        frames[^1].GetRawText().Should().Be("""{"type":"closing","reason":"slow_consumer"}""");
        frames.SkipLast(1).Should().OnlyContain(f => f.GetProperty("type").GetString() == "event");
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
    }
}
