namespace Hubs.Server.Observability;

/// <summary>Open hub connections on this instance, all hubs and endpoints together, fed by <see cref="MetricsHubFilter"/>.</summary>
internal sealed class ConnectionTracker
{
    private int _sockets;

    public int ActiveSockets => Volatile.Read(ref _sockets);

    public void Opened() => Interlocked.Increment(ref _sockets);

    public void Closed() => Interlocked.Decrement(ref _sockets);
}
