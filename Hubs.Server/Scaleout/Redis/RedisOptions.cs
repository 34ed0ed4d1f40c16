namespace Hubs.Server.Scaleout.Redis;

/// <summary>Configuration section <c>Redis</c>. Without <see cref="Configuration"/> everything stays in memory (one instance).</summary>
internal sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>. Empty: no Redis.</summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every channel and key, so several deployments can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "hubs";

    /// <summary>How long connecting may take before the instance starts degraded (and keeps retrying).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one Redis command may take.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a group change or client result for a connection on another instance waits for that instance.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a dead instance's users still count as present (the live ones refresh at a third of this).</summary>
    public TimeSpan PresenceTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the connection is checked with a PING (health state, and re-subscribing after an outage).</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
