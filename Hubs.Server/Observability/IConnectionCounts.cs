namespace Hubs.Server.Observability;

/// <summary>
/// Users and sockets for <c>/api/ws/health</c> (seed 001's <c>active_connections</c> and <c>total_sockets</c>).
/// The default, <see cref="PresenceConnectionCounts"/>, reads the study channel's user presence (every instance
/// when the backplane is on); register another implementation to count something else.
/// </summary>
internal interface IConnectionCounts
{
    ValueTask<(int Users, int Sockets)> CountAsync(CancellationToken cancellationToken);
}
