using System.Text.Json;
using Hubs.Client;
using Hubs.Contracts.Incidents;
using Hubs.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hubs.Tests.Faults;

/// <summary>A client that stops reading, against a real server process: it is cut off, the others are not, memory stays bounded.</summary>
[Collection(FaultProcessTests.Name)]
public sealed class StalledClientFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task StalledClient_StopsReading_IsCutOffWhileOthersReceiveEverythingAndMemoryStaysBounded()
    {
        await using var server = await HubsProcess.StartAsync("Delivery:MaxPendingMessages=200");
        await using var stalled = await RawSignalRSocket.ConnectAsync(server.WebSocketUri("/hubs/incidents"));
        await stalled.InvokeAsync("1", "Subscribe", "all", new { }, null);
        (await stalled.WaitForCompletionAsync("1")).TryGetProperty("error", out _).Should().BeFalse();

        await using var healthy = new HubsClient(server.BaseUri);
        var received = new List<string>();
        var count = 0;
        healthy.Incidents.OnIncidentEvent(e =>
        {
            received.Add(e.MessageId);
            Volatile.Write(ref count, received.Count);
        });
        await healthy.Incidents.StartAsync().WaitAsync(Patience);
        await healthy.Incidents.Subscribe("all", new IncidentFilter(), since: null).WaitAsync(Patience);

        var rssBefore = server.ResidentBytes();
        const int Events = 1500;
        var title = new string('x', 8 * 1024);
        var published = new List<string>();
        var maxLag = TimeSpan.Zero;
        for (var i = 0; i < Events; i++)
        {
            var started = DateTime.UtcNow;
            published.Add(await server.PublishIncidentAsync(IncidentEventTypes.IncidentCreated, new Incident { Id = $"inc-{i}", Severity = "P2", Title = title }));
            while (i + 1 - Volatile.Read(ref count) > 100)
            {
                await Task.Delay(1);
            }

            var lag = DateTime.UtcNow - started;
            maxLag = lag > maxLag ? lag : maxLag;
        }

        using (var timeout = new CancellationTokenSource(Patience))
        {
            while (Volatile.Read(ref count) < Events)
            {
                await Task.Delay(20, timeout.Token);
            }
        }

        var rssAfter = server.ResidentBytes();
        var metrics = await server.Http.GetStringAsync("/metrics");
        var streamed = (long)Events * title.Length;
        output.WriteLine($"RSS before {rssBefore / 1048576.0:F1} MiB, after {rssAfter / 1048576.0:F1} MiB; streamed {streamed / 1048576.0:F1} MiB per client; slowest publish-to-healthy-receipt {maxLag.TotalMilliseconds:F0} ms");

        // The stalled client, reading at last, finds its connection closed after at most what was in flight.
        var stalledGot = 0;
        using (var drain = new CancellationTokenSource(Patience))
        {
            while (await stalled.ReceiveAsync(drain.Token) is { } message)
            {
                if (message.RootElement.GetProperty("type").GetInt32() == 1)
                {
                    stalledGot++;
                }
            }
        }

        output.WriteLine($"stalled client got {stalledGot} of {Events} before the cut-off");
        received.Should().Equal(published, "the healthy client keeps receiving everything, in order");
        stalledGot.Should().BeLessThan(Events, "the stalled client must have been cut off, not buffered forever");
        metrics.Should().MatchRegex(@"websocket_message_errors_total\{[^}]*error_type=""slow_consumer""[^}]*\} [1-9]", "the cut-off is counted");
        (rssAfter - rssBefore).Should().BeLessThan(256L * 1024 * 1024, "server memory stays bounded while a client stalls");
    }
}
