namespace Hubs.Server.Delivery;

/// <summary>Configuration section <c>Delivery</c>: per-connection outgoing limits.</summary>
internal sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>
    /// Messages that may wait for one connection (<c>max_pending_messages</c>). A consumer that falls further
    /// behind is disconnected as a slow consumer, so it cannot slow anyone else or grow server memory.
    /// </summary>
    public int MaxPendingMessages { get; set; } = 1000;
}
