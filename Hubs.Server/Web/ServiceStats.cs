using System.Collections.Concurrent;
using Hubs.Server.Scaleout;

namespace Hubs.Server.Web;

/// <summary>
/// The live counters the dashboard shows (<c>GET /api/stats</c>): connections per hub and running generations on
/// this instance, and incident events and project updates seen since start. Events are counted from the event log's
/// broadcast, so with Redis every instance counts every instance's events. Deliberately tiny: /metrics is the
/// monitoring surface; this is for people looking at the page.
/// </summary>
internal sealed class ServiceStats : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<string, long> _connections = new(StringComparer.Ordinal);
    private readonly IEventLog _log;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _startedAt;
    private readonly string _instance = Environment.MachineName + ":" + Environment.ProcessId;
    private long _incidentEvents;
    private long _projectUpdates;
    private long _generationsStarted;
    private long _generationsRunning;
    private IDisposable? _incidents;
    private IDisposable? _projects;

    public ServiceStats(IEventLog log, TimeProvider time)
    {
        _log = log;
        _time = time;
        _startedAt = time.GetUtcNow();
        foreach (var hub in HubNames)
        {
            _connections[hub] = 0;
        }
    }

    /// <summary>The hubs counted, by the name the stats use (the hub class name without <c>Hub</c>, lower case).</summary>
    public static IReadOnlyList<string> HubNames { get; } = ["generation", "projects", "incidents", "study"];

    public void Connected(string hub) => _connections.AddOrUpdate(hub, 1, (_, n) => n + 1);

    public void Disconnected(string hub) => _connections.AddOrUpdate(hub, 0, (_, n) => Math.Max(0, n - 1));

    public void GenerationStarted()
    {
        Interlocked.Increment(ref _generationsStarted);
        Interlocked.Increment(ref _generationsRunning);
    }

    public void GenerationEnded() => Interlocked.Decrement(ref _generationsRunning);

    public ServiceStatsSnapshot Snapshot() => new(
        _instance,
        _startedAt,
        _time.GetUtcNow(),
        new SortedDictionary<string, long>(_connections, StringComparer.Ordinal),
        Interlocked.Read(ref _generationsStarted),
        Interlocked.Read(ref _generationsRunning),
        Interlocked.Read(ref _incidentEvents),
        Interlocked.Read(ref _projectUpdates));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _incidents = _log.Subscribe(EventStreams.IncidentsTopic, _ =>
        {
            Interlocked.Increment(ref _incidentEvents);
            return ValueTask.CompletedTask;
        });
        _projects = _log.Subscribe(EventStreams.ProjectsTopic, _ =>
        {
            Interlocked.Increment(ref _projectUpdates);
            return ValueTask.CompletedTask;
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _incidents?.Dispose();
        _projects?.Dispose();
        _incidents = null;
        _projects = null;
    }
}
