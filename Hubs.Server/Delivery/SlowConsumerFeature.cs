namespace Hubs.Server.Delivery;

/// <summary>
/// Set on a connection's features when the outbox cuts it off, so the transport (the legacy bridge) can tell
/// its client why before closing (<c>{"type":"closing","reason":"slow_consumer"}</c>).
/// </summary>
internal sealed class SlowConsumerFeature
{
    public required int PendingMessages { get; init; }
}
