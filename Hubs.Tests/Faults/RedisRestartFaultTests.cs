using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Hubs.Client;
using Hubs.Contracts;
using Hubs.Contracts.Incidents;
using Hubs.Contracts.Publishing;
using Hubs.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hubs.Tests.Faults;

/// <summary>
/// Redis stops and starts again while two server processes stream incidents: what is published meanwhile is
/// rejected with 503 (docs/backplane.md), everything accepted reaches every client exactly once, in order.
/// </summary>
[Collection(FaultProcessTests.Name)]
public sealed class RedisRestartFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly RedisServerFixture _redis = new();

    public Task InitializeAsync() => _redis.StartAsync();

    public Task DisposeAsync() => _redis.StopAsync();

    [Fact]
    public async Task RedisRestart_DuringStream_OutagePublishesRejectedAndEveryAcceptedEventDeliveredOnceInOrder()
    {
        string[] settings = [$"Redis:Configuration={_redis.ConnectionString}", "Redis:ChannelPrefix=restart", "Redis:ProbeInterval=00:00:00.250"];
        await using var a = await HubsProcess.StartAsync(settings);
        await using var b = await HubsProcess.StartAsync(settings);
        var clients = new List<(HubsClient Hubs, ConcurrentQueue<string> Received)>();
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                var hubs = new HubsClient(i % 2 == 0 ? a.BaseUri : b.BaseUri);
                var received = new ConcurrentQueue<string>();
                hubs.Incidents.OnIncidentEvent(e => received.Enqueue(e.MessageId));
                clients.Add((hubs, received));
                await hubs.Incidents.StartAsync().WaitAsync(Patience);
                await hubs.Incidents.Subscribe("all", new IncidentFilter(), since: null).WaitAsync(Patience);
            }

            var accepted = new List<string>();
            var rejected = 0;
            async Task PublishAsync(int n)
            {
                using var response = await a.Http.PostAsJsonAsync(
                    "/api/incidents/events", new { event_type = IncidentEventTypes.IncidentUpdated, incident = new Incident { Id = $"i-{n}", Severity = "P2" } }, HubsJson.Options);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    rejected++;
                    return;
                }

                response.EnsureSuccessStatusCode();
                accepted.Add((await response.Content.ReadFromJsonAsync<PublishResult>(HubsJson.Options))!.MessageId!);
            }

            for (var n = 0; n < 20; n++)
            {
                await PublishAsync(n);
            }

            await _redis.StopAsync();
            for (var n = 20; n < 30; n++)
            {
                await PublishAsync(n);
            }

            await _redis.StartAsync();
            await WaitForRedisAsync(a);
            await WaitForRedisAsync(b);
            for (var n = 30; n < 60; n++)
            {
                await PublishAsync(n);
                await Task.Delay(10);
            }

            using (var timeout = new CancellationTokenSource(Patience))
            {
                while (clients.Any(c => c.Received.Count < accepted.Count))
                {
                    await Task.Delay(50, timeout.Token);
                }
            }

            await Task.Delay(500);
            output.WriteLine($"accepted {accepted.Count}, rejected with 503 during the outage {rejected}");
            rejected.Should().Be(10, "every publish while Redis is down is rejected, none silently dropped");
            foreach (var (_, received) in clients)
            {
                received.Should().Equal(accepted, "everything accepted is delivered exactly once, in order");
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

    private static async Task WaitForRedisAsync(HubsProcess server)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!(await server.Http.GetStringAsync("/health", timeout.Token)).Contains("\"redis\":\"connected\"", StringComparison.Ordinal))
        {
            await Task.Delay(100, timeout.Token);
        }
    }
}
