namespace Hubs.Server.Scaleout;

/// <summary>
/// Which users are connected, across every instance: the Study hub's "last connection of a user closed"
/// and "everyone but this user" need the whole picture, not one instance's.
/// </summary>
internal interface IUserPresence
{
    /// <summary>Records a connection; true when it is the user's first anywhere.</summary>
    ValueTask<bool> ConnectedAsync(string userId, string connectionId, CancellationToken cancellationToken);

    /// <summary>Forgets a connection; true when it was the user's last anywhere.</summary>
    ValueTask<bool> DisconnectedAsync(string userId, string connectionId, CancellationToken cancellationToken);

    /// <summary>The user's connection ids on every instance.</summary>
    ValueTask<IReadOnlyList<string>> ConnectionsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Connected users and sockets, for <c>/api/ws/health</c>.</summary>
    ValueTask<PresenceCounts> CountAsync(CancellationToken cancellationToken);
}
