namespace Hubs.Server.Security;

/// <summary>
/// The connection rule for endpoints that cannot simply use <c>RequireAuthorization(HubsPolicies.Connect)</c> (a legacy
/// endpoint that must accept the socket and close it with 1008): token required unless anonymous access is allowed,
/// a presented token must be valid, and, for a per-user path, the token's user must be the path's user.
/// Authentication has already run (UseHubsSecurity), so this only reads the result.
/// </summary>
internal interface IConnectionAuthorizer
{
    /// <summary>Decides; a refusal is counted in <c>websocket_auth_failures_total</c> and logged.</summary>
    ConnectionAuthorization Authorize(HttpContext context, string? requiredUserId = null);
}
