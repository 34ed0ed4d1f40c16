namespace Hubs.Server.Security;

/// <summary>Open connections per user on this instance, over all hubs and legacy endpoints (<c>Limits:MaxConnectionsPerUser</c>).</summary>
internal interface IConnectionLimiter
{
    /// <summary>The configured maximum; 0 means no limit.</summary>
    int MaxConnectionsPerUser { get; }

    /// <summary>Claims a connection slot for <paramref name="userKey"/>: a lease to dispose when the connection ends, or null when the user is at the limit.</summary>
    IDisposable? TryAcquire(string userKey);

    /// <summary>Open connections of <paramref name="userKey"/> on this instance.</summary>
    int CountOf(string userKey);
}
