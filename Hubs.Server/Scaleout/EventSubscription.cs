namespace Hubs.Server.Scaleout;

/// <summary>
/// A handler's subscription to an <see cref="IEventLog"/> topic. Subscribing never waits (it may happen under a
/// caller's lock); <see cref="Ready"/> tells when broadcasts published from then on reach the handler. Disposing
/// stops delivery to this handler at once; releasing the backplane subscription behind it continues in the
/// background.
/// </summary>
internal sealed class EventSubscription : IDisposable
{
    private Action? _unsubscribe;

    public EventSubscription(Task ready, Action unsubscribe)
    {
        Ready = ready;
        _unsubscribe = unsubscribe;
    }

    /// <summary>Completes once the topic's broadcasts arrive here (at once in memory; after Redis confirms <c>SUBSCRIBE</c>).</summary>
    public Task Ready { get; }

    public void Dispose() => Interlocked.Exchange(ref _unsubscribe, null)?.Invoke();
}
