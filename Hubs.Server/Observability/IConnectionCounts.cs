namespace Hubs.Server.Observability;

/// <summary>
/// Users and sockets for <c>/api/ws/health</c> (seed 001's <c>active_connections</c> and <c>total_sockets</c>).
/// The default, <see cref="ConnectionTracker"/>, counts every hub connection; a domain that knows better
/// (the Study hub's per-user channel) registers its own implementation.
/// </summary>
internal interface IConnectionCounts
{
    /// <summary>Distinct users with at least one open connection (anonymous connections count one each).</summary>
    int ActiveUsers { get; }

    /// <summary>Open connections (sockets).</summary>
    int ActiveSockets { get; }
}
