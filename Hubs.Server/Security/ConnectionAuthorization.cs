namespace Hubs.Server.Security;

/// <summary>The verdict on a connection request.</summary>
/// <param name="Allowed">The connection may be opened.</param>
/// <param name="UserId">The token's user id; null when anonymous.</param>
/// <param name="FailureReason">One of <see cref="AuthFailureReasons"/> when refused.</param>
/// <param name="Message">A short text for the client when refused (a legacy close reason, for example).</param>
internal readonly record struct ConnectionAuthorization(bool Allowed, string? UserId, string? FailureReason, string? Message)
{
    public static ConnectionAuthorization Allow(string? userId) => new(true, userId, null, null);

    public static ConnectionAuthorization Deny(string reason, string message) => new(false, null, reason, message);
}
