using Hubs.Contracts.Incidents;
using Hubs.Server.Delivery;
using Hubs.Server.Incidents;
using Hubs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hubs.Tests.Delivery;

public sealed class SlowConsumerTests
{
    [Fact]
    public async Task Fanout_OneClientStopsReading_ItIsCutOffAndTheOthersGetEverythingInOrder()
    {
        await using var server = await HubsServer.StartAsync("Delivery:MaxPendingMessages=200");
        var cutOff = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Services.GetRequiredService<SlowConsumerHandler>().Disconnected += c => cutOff.TrySetResult(c.ConnectionId);

        await using var stalled = await RawSignalRSocket.ConnectAsync(server.WebSocketUri("/hubs/incidents"));
        await stalled.InvokeAsync("1", "Subscribe", "all", new { }, null);
        (await stalled.WaitForCompletionAsync("1")).TryGetProperty("error", out _).Should().BeFalse();

        await using var healthy = await RawSignalRSocket.ConnectAsync(server.WebSocketUri("/hubs/incidents"));
        await healthy.InvokeAsync("1", "Subscribe", "all", new { }, null);
        await healthy.WaitForCompletionAsync("1");

        const int Events = 3000;
        var received = new List<string>();
        var receivedCount = 0;
        var reader = Task.Run(async () =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (received.Count < Events && await healthy.ReceiveAsync(timeout.Token) is { } message)
            {
                if (message.RootElement.GetProperty("type").GetInt32() == 1)
                {
                    received.Add(message.RootElement.GetProperty("arguments")[0].GetProperty("message_id").GetString()!);
                    Volatile.Write(ref receivedCount, received.Count);
                }
            }
        });

        // Big events fill the stalled client's socket buffers quickly; the stalled client never reads. The publisher
        // never runs more than 100 events ahead of the healthy reader: a consumer that keeps up is never cut off.
        var feed = server.Services.GetRequiredService<IncidentsFeed>();
        var title = new string('x', 4096);
        var published = new List<string>();
        for (var i = 0; i < Events; i++)
        {
            published.Add(await feed.PublishAsync("incident_created", new Incident { Id = $"inc-{i}", Severity = "P2", Title = title }, CancellationToken.None));
            while (i - Volatile.Read(ref receivedCount) > 100 && !reader.IsCompleted)
            {
                await Task.Delay(1);
            }
        }

        await reader;
        received.Should().Equal(published, "the healthy client must get every event, in order, while the other one stalls");
        (await Task.WhenAny(cutOff.Task, Task.Delay(TimeSpan.FromSeconds(30)))).Should().Be(cutOff.Task, "the stalled client must be disconnected");

        // The stalled client, reading at last, finds its connection closed after at most what was in flight.
        var drained = 0;
        using var drainTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await stalled.ReceiveAsync(drainTimeout.Token) is not null)
        {
            drained++;
        }

        drained.Should().BeLessThan(Events);
    }
}
