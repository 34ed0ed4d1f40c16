using System.Collections.Concurrent;

namespace Hubs.Server.Web;

/// <summary>
/// The live counters the dashboard shows (<c>GET /api/stats</c>): connections per hub and running generations on
/// this instance, and incident events and project updates published through this instance since start (with several
/// instances, the sum over them is the total; counting what arrives would need every instance to receive every
/// project's updates, which the per-project channels avoid). Deliberately tiny: /metrics is the monitoring surface;
/// this is for people looking at the page.
/// </summary>
internal sealed class ServiceStats
{
    private readonly ConcurrentDictionary<string, long> _connections = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _startedAt;
    private readonly string _instance = Environment.MachineName + ":" + Environment.ProcessId;
    private long _incidentEvents;
    private long _projectUpdates;
    private long _generationsStarted;
    private long _generationsRunning;

    public ServiceStats(TimeProvider time)
    {
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

    public void IncidentEventPublished() => Interlocked.Increment(ref _incidentEvents);

    public void ProjectUpdatePublished() => Interlocked.Increment(ref _projectUpdates);

    public ServiceStatsSnapshot Snapshot() => new(
        _instance,
        _startedAt,
        _time.GetUtcNow(),
        new SortedDictionary<string, long>(_connections, StringComparer.Ordinal),
        Interlocked.Read(ref _generationsStarted),
        Interlocked.Read(ref _generationsRunning),
        Interlocked.Read(ref _incidentEvents),
        Interlocked.Read(ref _projectUpdates));
}
