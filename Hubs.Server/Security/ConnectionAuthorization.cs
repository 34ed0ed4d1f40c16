namespace Hubs.Server.Security;

/// <summary>The verdict on a connection request.</summary>
/// <param name="Allowed">The connection may be opened.</param>
/// <param name="UserId">The token's user id; null when anonymous.</param>
/// <param name="FailureReason">One of <see cref="AuthFailureReasons"/> when refused.</param>
/// <param name="Message">A short text for the client when refused (a legacy close reason, for example).</param>
/// <param name="ExpiresUtc">
/// When the token stops being accepted (its <c>exp</c> plus the clock skew); null when anonymous. SignalR closes hub
/// connections at that time by itself; a bridge that runs the hub handler without SignalR's HTTP dispatcher must close then.
/// </param>
internal readonly record struct ConnectionAuthorization(bool Allowed, string? UserId, string? FailureReason, string? Message, DateTimeOffset? ExpiresUtc = null)
{
    public static ConnectionAuthorization Allow(string? userId, DateTimeOffset? expiresUtc) => new(true, userId, null, null, expiresUtc);

    public static ConnectionAuthorization Deny(string reason, string message) => new(false, null, reason, message);
}
