namespace Hubs.Server.Security;

/// <summary>Values of the <c>error_type</c> tag of <c>websocket_message_errors_total</c>. Dashboards use them: do not rename.</summary>
internal static class MessageErrorTypes
{
    /// <summary>Seed 003: a frame that is not JSON.</summary>
    public const string ParseError = "parse_error";

    /// <summary>Seed 003: JSON without a required field, unknown type.</summary>
    public const string ValidationError = "validation_error";

    /// <summary>Seed 003: a send to the client failed.</summary>
    public const string SendError = "send_error";

    public const string RateLimited = "rate_limited";
    public const string Unauthorized = "unauthorized";
    public const string SubscriptionLimit = "subscription_limit";
    public const string MessageTooLarge = "message_too_large";

    /// <summary>The publish API refused a request with 429.</summary>
    public const string PublishRateLimited = "publish_rate_limited";
}
