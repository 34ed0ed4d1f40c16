namespace Hubs.Server.Security;

/// <summary>
/// Per-user and per-connection limits, bound from the <c>Limits</c> section. A value of 0 switches off the limits
/// that say so (useful for load tests); every rejection is an error to that client and a counter.
/// </summary>
internal sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>Largest incoming hub (or legacy) message; SignalR's <c>MaximumReceiveMessageSize</c>. Legacy sockets close with 1009 above it.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Hub invocations (and legacy client messages) per user per sliding minute (seed 001: 100). 0 = no limit.</summary>
    public int MessagesPerMinutePerUser { get; set; } = 100;

    /// <summary>Open connections per user on one instance, all hubs and legacy endpoints together. 0 = no limit.</summary>
    public int MaxConnectionsPerUser { get; set; } = 20;

    /// <summary>Project or incident subscriptions one connection may hold.</summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 50;

    /// <summary>Largest publish API request body.</summary>
    public long PublishMaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Publish API requests per caller (token subject, or IP without one) per sliding minute. 0 = no limit.</summary>
    public int PublishRequestsPerMinute { get; set; } = 6000;

    /// <summary>Time a client has to send the SignalR handshake after connecting.</summary>
    public int HandshakeTimeoutSeconds { get; set; } = 15;

    /// <summary>Kestrel's <c>RequestHeadersTimeout</c>: a client trickling headers (slowloris) is cut off after this.</summary>
    public int RequestHeadersTimeoutSeconds { get; set; } = 10;

    /// <summary>Kestrel's <c>MaxRequestHeadersTotalSize</c>.</summary>
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    /// <summary>Kestrel's <c>MinRequestBodyDataRate</c> in bytes per second (after a 5 second grace period).</summary>
    public int MinRequestBodyBytesPerSecond { get; set; } = 240;
}
