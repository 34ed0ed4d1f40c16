namespace Hubs.Server.Observability;

/// <summary>
/// What <see cref="MetricsHubFilter"/> remembers about one open connection (kept by connection id):
/// labels, start time, log scope, and its live subscriptions so they can be released when it closes.
/// </summary>
internal sealed class ConnectionObservation(string hub, string endpoint, long startTimestamp, ConnectionLogScope logScope)
{
    private readonly Lock _gate = new();

    // key (project id or subscription id) -> project id for the by-project gauge, or null.
    private readonly Dictionary<string, string?> _subscriptions = new(StringComparer.Ordinal);
    private int _peakSubscriptions;

    public string Hub { get; } = hub;

    public string Endpoint { get; } = endpoint;

    public long StartTimestamp { get; } = startTimestamp;

    public ConnectionLogScope LogScope { get; } = logScope;

    public int PeakSubscriptions
    {
        get
        {
            lock (_gate)
            {
                return _peakSubscriptions;
            }
        }
    }

    /// <summary>True when <paramref name="key"/> was not yet subscribed on this connection.</summary>
    public bool AddSubscription(string key, string? projectId)
    {
        lock (_gate)
        {
            if (!_subscriptions.TryAdd(key, projectId))
            {
                return false;
            }

            _peakSubscriptions = Math.Max(_peakSubscriptions, _subscriptions.Count);
            return true;
        }
    }

    public bool RemoveSubscription(string key, out string? projectId)
    {
        lock (_gate)
        {
            return _subscriptions.Remove(key, out projectId);
        }
    }

    /// <summary>Empties the subscription set and returns what it held (project ids, null for non-project subscriptions).</summary>
    public string?[] ReleaseSubscriptions()
    {
        lock (_gate)
        {
            var released = _subscriptions.Values.ToArray();
            _subscriptions.Clear();
            return released;
        }
    }
}
