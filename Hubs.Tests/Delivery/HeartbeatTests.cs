using System.Net.WebSockets;
using System.Text;
using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Delivery;

/// <summary>Server pings and dead-peer removal, configured through <c>Heartbeat:*</c>, seen from a raw WebSocket.</summary>
public sealed class HeartbeatTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const char RecordSeparator = '\u001e';

    [Fact]
    public async Task SilentPeer_BeyondClientTimeout_IsPingedThenRemoved()
    {
        // A short timeout, so that removal within the default 30 s would not pass for this setting being honoured.
        await using var server = await HubsServer.StartAsync("Heartbeat:KeepAliveInterval=00:00:00.500", "Heartbeat:ClientTimeout=00:00:03");
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.WebSocketUri("/hubs/incidents"), CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

        // One ping, as every client sends, then silence: SignalR starts its client timeout at the first message after
        // the handshake. The peer reads only to see what the server does.
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"type\":6}" + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);
        var pings = 0;
        var closedByServer = false;
        var buffer = new byte[4096];
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, patience.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    closedByServer = true;
                    break;
                }

                output.WriteLine(Encoding.UTF8.GetString(buffer, 0, result.Count));
                var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                pings += text.Split(RecordSeparator).Count(m => m.Contains("\"type\":6", StringComparison.Ordinal));
                if (text.Contains("\"type\":7", StringComparison.Ordinal))
                {
                    closedByServer = true; // the SignalR close message: the server gave up on this peer
                }
            }
        }
        catch (WebSocketException)
        {
            closedByServer = true; // the server dropped the socket without a close handshake
        }

        pings.Should().BeGreaterThan(0, "the server pings an idle connection");
        closedByServer.Should().BeTrue("a peer silent for longer than Heartbeat:ClientTimeout is removed");
    }

    [Fact]
    public async Task HeartbeatOptions_TimeoutNotAboveKeepAlive_FailsAtStartNamingTheKey()
    {
        var start = () => HubsServer.StartAsync("Heartbeat:KeepAliveInterval=00:00:10", "Heartbeat:ClientTimeout=00:00:05");
        (await start.Should().ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>())
            .Which.Message.Should().Contain("Heartbeat:ClientTimeout");
    }
}
