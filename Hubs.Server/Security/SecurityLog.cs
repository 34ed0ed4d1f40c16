using Microsoft.Extensions.Logging;

namespace Hubs.Server.Security;

/// <summary>Log messages of the security components. Event ids 700-799; do not reuse.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(700, LogLevel.Warning, "Anonymous connections and anonymous publishing are allowed (environment {Environment}). "
        + "Mint a token with: dotnet run --project Hubs.Server -- token --user alice --projects p1,p2 --publisher")]
    public static partial void AnonymousAllowed(ILogger logger, string environment);

    [LoggerMessage(701, LogLevel.Warning, "Tokens are signed and validated with the built-in development key (Jwt:SigningKey is not set). Never use it outside Development.")]
    public static partial void DevelopmentKeyInUse(ILogger logger);

    [LoggerMessage(702, LogLevel.Information, "JWT validation: {Mode}; issuer {Issuer}; audience {Audience}.")]
    public static partial void JwtConfigured(ILogger logger, string mode, string issuer, string audience);

    [LoggerMessage(703, LogLevel.Information, "Allowed browser origins: {Origins}.")]
    public static partial void OriginsConfigured(ILogger logger, string origins);

    [LoggerMessage(704, LogLevel.Information, "Refused {Method} {Path}: origin {Origin} is not allowed.")]
    public static partial void OriginRejected(ILogger logger, string method, string path, string origin);

    [LoggerMessage(705, LogLevel.Information, "Refused connection to {Path}: {Reason}.")]
    public static partial void ConnectionRefused(ILogger logger, string path, string reason);

    [LoggerMessage(706, LogLevel.Debug, "Token rejected on {Path}: {Message}")]
    public static partial void TokenRejected(ILogger logger, string path, string message);

    [LoggerMessage(707, LogLevel.Information, "Rate limit exceeded by user {UserKey} calling {Method}.")]
    public static partial void RateLimited(ILogger logger, string userKey, string method);

    [LoggerMessage(708, LogLevel.Information, "Connection {ConnectionId} refused: user {UserId} already has {Max} connections.")]
    public static partial void ConnectionLimitReached(ILogger logger, string connectionId, string userId, int max);

    [LoggerMessage(709, LogLevel.Information, "Connection {ConnectionId} refused a subscription: limit {Max} reached.")]
    public static partial void SubscriptionLimitReached(ILogger logger, string connectionId, int max);

    [LoggerMessage(710, LogLevel.Information, "Access denied to user {UserId}: {What}.")]
    public static partial void AccessDenied(ILogger logger, string userId, string what);

    [LoggerMessage(711, LogLevel.Information, "Publish rate limit exceeded by {Caller} on {Path}.")]
    public static partial void PublishRateLimited(ILogger logger, string caller, string path);
}
