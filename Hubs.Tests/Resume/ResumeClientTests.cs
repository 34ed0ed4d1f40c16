using System.Collections.Concurrent;
using Hubs.Client;
using Hubs.Contracts.Incidents;
using Hubs.Contracts.Projects;

namespace Hubs.Tests.Resume;

/// <summary>
/// The typed .NET clients keep their subscriptions across a fail-over: instance A stops, the client reconnects to
/// B (held back until the test has published into the gap), resubscribes with <c>since</c> and ends with every
/// event exactly once, in order.
/// </summary>
public sealed class ResumeClientTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly IRetryPolicy QuickRetries = new DefaultRetryPolicy(Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 300));

    [Fact]
    public async Task ProjectsClient_ReconnectToAnotherInstance_ResumesWithoutGapOrDuplicate()
    {
        await using var servers = await TwinServers.StartAsync();
        var gate = new ReconnectGate();
        await using var hubs = new HubsClient([servers.A.BaseUri, servers.B.BaseUri], gate.Configure);
        var received = new ConcurrentQueue<ProjectUpdate>();
        var gaps = new ConcurrentQueue<HistoryGap>();
        hubs.Projects.OnProjectUpdated(received.Enqueue);
        hubs.Projects.HistoryGap += g => { gaps.Enqueue(g); return Task.CompletedTask; };
        await hubs.Projects.StartAsync().WaitAsync(Patience);

        // p-busy has updates before the fail-over; p-quiet has none, so only the subscribe position can resume it.
        await hubs.Projects.Subscribe("p-busy", since: null).WaitAsync(Patience);
        await hubs.Projects.Subscribe("p-quiet", since: null).WaitAsync(Patience);
        var published = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            published.Add(await servers.A.PublishProjectUpdateAsync("p-busy", new { n = i }));
        }

        await WaitUntil(() => received.Count == 5);
        var reconnecting = gate.WhenReconnecting(hubs.Projects.Connection);
        await servers.StopAAsync();
        await reconnecting.WaitAsync(Patience);

        var gapQuiet = new List<string>();
        for (var i = 5; i < 10; i++)
        {
            published.Add(await servers.B.PublishProjectUpdateAsync("p-busy", new { n = i }));
            gapQuiet.Add(await servers.B.PublishProjectUpdateAsync("p-quiet", new { n = i }));
        }

        gate.Open();
        await WaitUntil(() => received.Count == 15);
        for (var i = 10; i < 12; i++)
        {
            published.Add(await servers.B.PublishProjectUpdateAsync("p-busy", new { n = i }));
        }

        await WaitUntil(() => received.Count == 17);
        await Task.Delay(300); // room for a duplicate to show up, if one were sent

        hubs.Projects.Connection.ConnectedUrl.Port.Should().Be(servers.B.BaseUri.Port);
        received.Where(u => u.ProjectId == "p-busy").Select(u => u.MessageId).Should().Equal(published);
        received.Where(u => u.ProjectId == "p-quiet").Select(u => u.MessageId).Should().Equal(gapQuiet);
        hubs.Projects.DuplicatesDropped.Should().Be(0);
        gaps.Should().BeEmpty();
    }

    [Fact]
    public async Task IncidentsClient_ReconnectToAnotherInstance_EachSubscriptionResumesExactlyOnceInOrder()
    {
        await using var servers = await TwinServers.StartAsync();
        var gate = new ReconnectGate();
        await using var hubs = new HubsClient([servers.A.BaseUri, servers.B.BaseUri], gate.Configure);
        var received = new ConcurrentQueue<IncidentEventEnvelope>();
        hubs.Incidents.OnIncidentEvent(received.Enqueue);
        await hubs.Incidents.StartAsync().WaitAsync(Patience);
        await hubs.Incidents.Subscribe("critical", new IncidentFilter { Severities = ["P0"] }, since: null).WaitAsync(Patience);
        await hubs.Incidents.Subscribe("db", new IncidentFilter { AffectedResources = ["db"] }, since: null).WaitAsync(Patience);

        var expected = new List<string>();
        async Task PublishAsync(Infrastructure.HubsServer server, int n)
        {
            // Every third event matches neither subscription; some match both and must still arrive once.
            var incident = new Incident { Id = $"inc-{n}", Severity = n % 3 == 0 ? "P3" : n % 2 == 0 ? "P0" : "P1", AffectedResources = n % 3 == 0 ? ["web"] : ["db"] };
            var id = await server.PublishIncidentAsync(IncidentEventTypes.IncidentCreated, incident);
            if (n % 3 != 0)
            {
                expected.Add(id);
            }
        }

        for (var n = 1; n <= 9; n++)
        {
            await PublishAsync(servers.A, n);
        }

        await WaitUntil(() => received.Count == expected.Count);
        var reconnecting = gate.WhenReconnecting(hubs.Incidents.Connection);
        await servers.StopAAsync();
        await reconnecting.WaitAsync(Patience);
        for (var n = 10; n <= 21; n++)
        {
            await PublishAsync(servers.B, n);
        }

        gate.Open();
        await WaitUntil(() => received.Count == expected.Count);
        for (var n = 22; n <= 24; n++)
        {
            await PublishAsync(servers.B, n);
        }

        await WaitUntil(() => received.Count == expected.Count);
        await Task.Delay(300);

        received.Select(e => e.MessageId).Should().Equal(expected);
        hubs.Incidents.DuplicatesDropped.Should().Be(0);
    }

    [Fact]
    public async Task IncidentsClient_GapOlderThanRetainedHistory_RaisesHistoryGap()
    {
        await using var servers = await TwinServers.StartAsync("History:MaxIncidentEvents=3");
        var gate = new ReconnectGate();
        await using var hubs = new HubsClient([servers.A.BaseUri, servers.B.BaseUri], gate.Configure);
        var received = new ConcurrentQueue<IncidentEventEnvelope>();
        var gap = new TaskCompletionSource<HistoryGap>(TaskCreationOptions.RunContinuationsAsynchronously);
        hubs.Incidents.OnIncidentEvent(received.Enqueue);
        hubs.Incidents.HistoryGap += g => { gap.TrySetResult(g); return Task.CompletedTask; };
        await hubs.Incidents.StartAsync().WaitAsync(Patience);
        await hubs.Incidents.Subscribe("all", new IncidentFilter(), since: null).WaitAsync(Patience);
        var seen = await servers.A.PublishIncidentAsync(IncidentEventTypes.IncidentCreated, new Incident { Id = "i-0", Severity = "P2" });
        await WaitUntil(() => received.Count == 1);

        var reconnecting = gate.WhenReconnecting(hubs.Incidents.Connection);
        await servers.StopAAsync();
        await reconnecting.WaitAsync(Patience);
        var published = new List<string>();
        for (var n = 1; n <= 6; n++)
        {
            published.Add(await servers.B.PublishIncidentAsync(IncidentEventTypes.IncidentCreated, new Incident { Id = $"i-{n}", Severity = "P2" }));
        }

        gate.Open();
        var reported = await gap.Task.WaitAsync(Patience);
        await WaitUntil(() => received.Count == 4);

        reported.Should().Be(new HistoryGap("all", seen, DuringResume: true));
        received.Select(e => e.MessageId).Should().Equal(new[] { seen }.Concat(published.Skip(3)));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Lets the first connect through and holds every later one until <see cref="Open"/>.</summary>
    private sealed class ReconnectGate
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _attempts;

        public void Configure(HubConnectionOptions options)
        {
            options.RetryPolicy = QuickRetries;
            options.AccessTokenProvider = async ct =>
            {
                if (Interlocked.Increment(ref _attempts) > 1)
                {
                    await _open.Task.WaitAsync(ct);
                }

                return null;
            };
        }

        public Task WhenReconnecting(HubConnection connection)
        {
            var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            connection.Reconnecting += _ => { reconnecting.TrySetResult(); return Task.CompletedTask; };
            return reconnecting.Task;
        }

        public void Open() => _open.TrySetResult();
    }
}
