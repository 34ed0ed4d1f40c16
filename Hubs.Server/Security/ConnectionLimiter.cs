using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

internal sealed class ConnectionLimiter(IOptions<LimitsOptions> options) : IConnectionLimiter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int MaxConnectionsPerUser { get; } = options.Value.MaxConnectionsPerUser;

    public IDisposable? TryAcquire(string userKey)
    {
        lock (_lock)
        {
            _counts.TryGetValue(userKey, out var count);
            if (MaxConnectionsPerUser > 0 && count >= MaxConnectionsPerUser)
            {
                return null;
            }

            _counts[userKey] = count + 1;
        }

        return new Lease(this, userKey);
    }

    public int CountOf(string userKey)
    {
        lock (_lock)
        {
            return _counts.GetValueOrDefault(userKey);
        }
    }

    private void Release(string userKey)
    {
        lock (_lock)
        {
            if (_counts.TryGetValue(userKey, out var count))
            {
                // Drop the entry at zero so that users who left cost nothing.
                if (count <= 1)
                {
                    _counts.Remove(userKey);
                }
                else
                {
                    _counts[userKey] = count - 1;
                }
            }
        }
    }

    private sealed class Lease(ConnectionLimiter owner, string userKey) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(userKey);
            }
        }
    }
}
