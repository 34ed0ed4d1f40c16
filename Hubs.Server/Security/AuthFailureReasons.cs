namespace Hubs.Server.Security;

/// <summary>Values of the <c>reason</c> tag of <c>websocket_auth_failures_total</c>. Dashboards and alerts use them: do not rename.</summary>
internal static class AuthFailureReasons
{
    public const string MissingToken = "missing_token";
    public const string InvalidToken = "invalid_token";
    public const string ExpiredToken = "expired_token";
    public const string OriginNotAllowed = "origin_not_allowed";
    public const string ConnectionLimit = "connection_limit";

    /// <summary>A valid token for another user than the one in the path (<c>/api/ws/{user_id}</c>).</summary>
    public const string UserMismatch = "user_mismatch";
}
