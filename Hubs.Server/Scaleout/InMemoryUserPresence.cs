namespace Hubs.Server.Scaleout;

/// <summary>The single-instance <see cref="IUserPresence"/>.</summary>
internal sealed class InMemoryUserPresence : IUserPresence
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<string>> _users = new(StringComparer.Ordinal);
    private int _sockets;

    public ValueTask<bool> ConnectedAsync(string userId, string connectionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(userId, out var connections))
            {
                connections = new HashSet<string>(StringComparer.Ordinal);
                _users.Add(userId, connections);
            }

            if (connections.Add(connectionId))
            {
                _sockets++;
            }

            return ValueTask.FromResult(connections.Count == 1);
        }
    }

    public ValueTask<bool> DisconnectedAsync(string userId, string connectionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_users.TryGetValue(userId, out var connections) || !connections.Remove(connectionId))
            {
                return ValueTask.FromResult(false);
            }

            _sockets--;
            if (connections.Count > 0)
            {
                return ValueTask.FromResult(false);
            }

            _users.Remove(userId);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<IReadOnlyList<string>> ConnectionsAsync(string userId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<string>>(_users.TryGetValue(userId, out var c) ? [.. c] : []);
        }
    }

    /// <summary>Every user with its connections (Redis presence rewrites its per-instance hash from this).</summary>
    public IReadOnlyList<(string User, IReadOnlyList<string> Connections)> Snapshot()
    {
        lock (_lock)
        {
            return [.. _users.Select(u => (u.Key, (IReadOnlyList<string>)[.. u.Value]))];
        }
    }

    public ValueTask<PresenceCounts> CountAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(new PresenceCounts(_users.Count, _sockets));
        }
    }
}
