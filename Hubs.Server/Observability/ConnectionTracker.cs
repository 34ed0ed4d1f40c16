using System.Collections.Concurrent;

namespace Hubs.Server.Observability;

/// <summary>Open connections and distinct users across all hubs, fed by <see cref="MetricsHubFilter"/>.</summary>
internal sealed class ConnectionTracker : IConnectionCounts
{
    private readonly ConcurrentDictionary<string, int> _socketsByUser = new(StringComparer.Ordinal);
    private int _sockets;
    private int _anonymous;

    public int ActiveUsers => _socketsByUser.Count + Volatile.Read(ref _anonymous);

    public int ActiveSockets => Volatile.Read(ref _sockets);

    public void Opened(string? userId)
    {
        Interlocked.Increment(ref _sockets);
        if (userId is null)
        {
            Interlocked.Increment(ref _anonymous);
            return;
        }

        _socketsByUser.AddOrUpdate(userId, 1, static (_, count) => count + 1);
    }

    public void Closed(string? userId)
    {
        Interlocked.Decrement(ref _sockets);
        if (userId is null)
        {
            Interlocked.Decrement(ref _anonymous);
            return;
        }

        while (_socketsByUser.TryGetValue(userId, out var count))
        {
            if (count <= 1)
            {
                if (_socketsByUser.TryRemove(new KeyValuePair<string, int>(userId, count)))
                {
                    return;
                }
            }
            else if (_socketsByUser.TryUpdate(userId, count - 1, count))
            {
                return;
            }
        }
    }
}
