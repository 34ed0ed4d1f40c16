using System.Collections.Concurrent;
using Hubs.Client;
using Hubs.Contracts.Incidents;
using Hubs.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hubs.Tests.Faults;

/// <summary>Kill -9 one of two Redis-backed server processes while clients receive a steady incident stream.</summary>
[Collection(FaultProcessTests.Name)]
public sealed class InstanceKillFaultTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    private const int Clients = 200;
    private const int Events = 60;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task KillDashNine_OneOfTwoInstances_ClientsResumeOnSurvivorWithEveryMatchingEventOnceInOrder()
    {
        string[] settings = [$"Redis:Configuration={redis.ConnectionString}", "Redis:ChannelPrefix=kill" + Guid.NewGuid().ToString("N")[..8]];
        await using var a = await HubsProcess.StartAsync(settings);
        await using var b = await HubsProcess.StartAsync(settings);

        IncidentFilter[] filters = [new(), new() { Severities = ["P1"] }, new() { AffectedResources = ["db"] }];
        var clients = new List<(HubsClient Hubs, int Filter, ConcurrentQueue<string> Received)>();
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                // Half start on A, half on B; A's clients fail over to B.
                Uri[] urls = i % 2 == 0 ? [a.BaseUri, b.BaseUri] : [b.BaseUri, a.BaseUri];
                var hubs = new HubsClient(urls, o => o.RetryPolicy = new DefaultRetryPolicy(Enumerable.Repeat(TimeSpan.FromMilliseconds(250), 400)));
                var received = new ConcurrentQueue<string>();
                hubs.Incidents.OnIncidentEvent(e => received.Enqueue(e.MessageId));
                clients.Add((hubs, i % filters.Length, received));
                await hubs.Incidents.StartAsync().WaitAsync(Patience);
                await hubs.Incidents.Subscribe("s", filters[i % filters.Length], since: null).WaitAsync(Patience);
            }

            var expected = filters.Select(_ => new List<string>()).ToArray();
            for (var n = 0; n < Events; n++)
            {
                if (n == Events / 3)
                {
                    await a.KillAsync();
                }

                var severity = n % 2 == 0 ? "P1" : "P2";
                string[] resources = n % 3 == 0 ? ["db"] : ["web"];
                var id = await b.PublishIncidentAsync(IncidentEventTypes.IncidentUpdated, new Incident { Id = $"inc-{n}", Severity = severity, AffectedResources = resources });
                expected[0].Add(id);
                if (severity == "P1")
                {
                    expected[1].Add(id);
                }

                if (resources[0] == "db")
                {
                    expected[2].Add(id);
                }

                await Task.Delay(20);
            }

            using (var timeout = new CancellationTokenSource(Patience))
            {
                while (clients.Any(c => c.Received.Count < expected[c.Filter].Count))
                {
                    await Task.Delay(50, timeout.Token);
                }
            }

            await Task.Delay(500); // room for a duplicate, if one were sent
            var movedToB = clients.Count(c => c.Hubs.Incidents.Connection.ConnectedUrl.Port == b.BaseUri.Port);
            output.WriteLine($"{Clients} clients, {Events} events, {movedToB} on B at the end; duplicates dropped client-side: {clients.Sum(c => c.Hubs.Incidents.DuplicatesDropped)}");

            movedToB.Should().Be(Clients, "every client ends on the survivor");
            foreach (var (hubs, filter, received) in clients)
            {
                received.Should().Equal(expected[filter], "each client has every matching event exactly once, in order");
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.Hubs.DisposeAsync();
            }
        }
    }
}
