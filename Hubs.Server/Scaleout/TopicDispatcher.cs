using System.Threading.Channels;

namespace Hubs.Server.Scaleout;

/// <summary>
/// One topic's ordered dispatch on this instance: entries posted in broadcast order reach every handler one at a
/// time, in that order, on one loop. Shared by the in-memory and the Redis event logs, which differ only in where
/// the entries come from.
/// </summary>
internal sealed class TopicDispatcher : IAsyncDisposable
{
    private readonly Channel<LoggedEvent> _queue = Channel.CreateUnbounded<LoggedEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _handlersLock = new();
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private volatile Func<LoggedEvent, ValueTask>[] _handlers = [];

    public TopicDispatcher(string name, ILogger logger)
    {
        _name = name;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues <paramref name="entry"/> after everything posted before it; never waits.</summary>
    public void Post(LoggedEvent entry) => _queue.Writer.TryWrite(entry);

    public void Add(Func<LoggedEvent, ValueTask> handler)
    {
        lock (_handlersLock)
        {
            _handlers = [.. _handlers, handler];
        }
    }

    /// <summary>Stops calling <paramref name="handler"/>; returns how many handlers remain.</summary>
    public int Remove(Func<LoggedEvent, ValueTask> handler)
    {
        lock (_handlersLock)
        {
            _handlers = [.. _handlers.Where(h => h != handler)];
            return _handlers.Length;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Stopping: what is still queued is not delivered, and a stuck handler cannot hold up disposal of the rest.
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        await foreach (var entry in _queue.Reader.ReadAllAsync(_stopping.Token))
        {
            foreach (var handler in _handlers)
            {
                try
                {
                    await handler(entry);
                }
#pragma warning disable CA1031 // A failing subscriber must not stop delivery to the others.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    ScaleoutLog.SubscriberFailed(_logger, _name, entry.Id, ex);
                }
            }
        }
    }
}
