namespace Hubs.Server.Security;

/// <summary>Names of the authorization and rate-limiting policies registered by <c>AddHubsSecurity</c>.</summary>
internal static class HubsPolicies
{
    /// <summary>Open a hub or legacy connection: a valid token, or no token when anonymous access is allowed (Development).</summary>
    public const string Connect = "hubs.connect";

    /// <summary>Use the publish API: scope <c>hubs.publish</c> or role <c>publisher</c> (or admin); anonymous in Development.</summary>
    public const string Publisher = "hubs.publisher";

    /// <summary>Receive incident events: role <c>incidents</c> or scope <c>hubs.incidents</c> (or admin); anonymous in Development.</summary>
    public const string Incidents = "hubs.incidents";

    /// <summary>Rate-limiter policy of the publish API (<c>Limits:PublishRequestsPerMinute</c> per caller) → 429 problem details.</summary>
    public const string PublishRateLimit = "hubs.publish";
}
