namespace Hubs.Server.Delivery;

/// <summary>Configuration section <c>Heartbeat</c>: SignalR keep-alives and dead-peer detection for every hub.</summary>
internal sealed class HeartbeatOptions
{
    public const string SectionName = "Heartbeat";

    /// <summary>How often the server pings a connection that has had nothing else to send (SignalR <c>KeepAliveInterval</c>).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A connection from which nothing (not even a ping) arrived for this long is considered dead and removed
    /// (SignalR <c>ClientTimeoutInterval</c>). Must exceed the clients' keep-alive interval (15 s in SignalR clients).
    /// </summary>
    public TimeSpan ClientTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
