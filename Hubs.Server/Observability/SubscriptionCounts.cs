using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Hubs.Server.Observability;

/// <summary>
/// Live subscription counts behind the subscription gauges. Per project it keeps only projects with at
/// least one subscription, so memory follows the live subscriptions; the exposition keeps the busiest
/// <c>maxProjectLabels</c> projects as their own <c>project_id</c> and adds the rest up under <c>other</c>.
/// </summary>
internal sealed class SubscriptionCounts(int maxProjectLabels)
{
    private readonly ConcurrentDictionary<string, int> _byProject = new(StringComparer.Ordinal);
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Added(string? projectId)
    {
        Interlocked.Increment(ref _total);
        if (projectId is not null)
        {
            _byProject.AddOrUpdate(projectId, 1, static (_, count) => count + 1);
        }
    }

    public void Removed(string? projectId)
    {
        Interlocked.Decrement(ref _total);
        if (projectId is null)
        {
            return;
        }

        while (_byProject.TryGetValue(projectId, out var count))
        {
            if (count <= 1)
            {
                // Remove only if nobody incremented meanwhile; otherwise retry with the new count.
                if (_byProject.TryRemove(new KeyValuePair<string, int>(projectId, count)))
                {
                    return;
                }
            }
            else if (_byProject.TryUpdate(projectId, count - 1, count))
            {
                return;
            }
        }
    }

    /// <summary>Called at collection time (a scrape), never on the hot path.</summary>
    public IEnumerable<Measurement<long>> ObserveByProject()
    {
        var snapshot = _byProject.ToArray();
        if (snapshot.Length == 0)
        {
            return [];
        }

        Array.Sort(snapshot, static (a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        var kept = Math.Min(snapshot.Length, maxProjectLabels);
        var measurements = new List<Measurement<long>>(kept + 1);
        for (var i = 0; i < kept; i++)
        {
            measurements.Add(new Measurement<long>(snapshot[i].Value, new KeyValuePair<string, object?>("project_id", snapshot[i].Key)));
        }

        if (snapshot.Length > kept)
        {
            long rest = 0;
            for (var i = kept; i < snapshot.Length; i++)
            {
                rest += snapshot[i].Value;
            }

            measurements.Add(new Measurement<long>(rest, new KeyValuePair<string, object?>("project_id", BoundedLabel.Other)));
        }

        return measurements;
    }
}
