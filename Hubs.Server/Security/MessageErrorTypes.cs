namespace Hubs.Server.Security;

/// <summary>
/// Values of the <c>error_type</c> tag of <c>websocket_message_errors_total</c> (<c>HubsMetrics.MessageError</c>).
/// Hub calls refused with a HubException are counted by Observability's MetricsHubFilter from the error code
/// (<see cref="Unauthorized"/>, <see cref="RateLimited"/>, <see cref="LimitExceeded"/>, ...); count these yourself
/// only for rejections that never reach a hub method. Dashboards use them: do not rename.
/// </summary>
internal static class MessageErrorTypes
{
    /// <summary>Seed 003: a frame that is not JSON.</summary>
    public const string ParseError = "parse_error";

    /// <summary>Seed 003: JSON without a required field, unknown type.</summary>
    public const string ValidationError = "validation_error";

    /// <summary>Seed 003: a send to the client failed.</summary>
    public const string SendError = "send_error";

    /// <summary>UNAUTHORIZED hub errors (project or incidents not granted).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>RATE_LIMITED hub errors, or a legacy message dropped by <see cref="IUserRateLimiter"/>.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>LIMIT_EXCEEDED hub errors (subscriptions per connection).</summary>
    public const string LimitExceeded = "limit_exceeded";

    /// <summary>A legacy frame over <c>Limits:MaxMessageBytes</c> (the socket closes with 1009).</summary>
    public const string MessageTooLarge = "message_too_large";

    /// <summary>The publish API refused a request with 429.</summary>
    public const string PublishRateLimited = "publish_rate_limited";
}
