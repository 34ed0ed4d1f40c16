using Hubs.Server.Scaleout;

namespace Hubs.Server.Observability;

/// <summary>Seed 001's health counts: users and sockets of the per-user (study) channel, from <see cref="IUserPresence"/>.</summary>
internal sealed class PresenceConnectionCounts(IUserPresence presence) : IConnectionCounts
{
    public async ValueTask<(int Users, int Sockets)> CountAsync(CancellationToken cancellationToken)
    {
        var counts = await presence.CountAsync(cancellationToken);
        return (counts.Users, counts.Sockets);
    }
}
