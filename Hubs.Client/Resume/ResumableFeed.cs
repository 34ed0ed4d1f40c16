using Microsoft.Extensions.Logging;

namespace Hubs.Client.Resume;

/// <summary>
/// Makes a hub's subscriptions survive reconnects. It remembers, per subscription, the last <c>message_id</c> up to
/// which the application has received every matching event, and after an automatic reconnect (to this or another
/// instance) subscribes again with that id as <c>since</c>: the server replays the gap, then goes live. Events are
/// de-duplicated by id as a safety net, and a gap the server cannot replay is reported, never skipped silently.
/// </summary>
/// <remarks>
/// How far a subscription is covered: with a route (<c>routeOf</c>) (projects) every event of the route
/// belongs to exactly one subscription and arrives in order, so its id is the new position. Without one
/// (incidents: the server sends an event once per connection, whichever subscriptions match) an event advances every
/// subscription that is live — its subscribe call has returned, so the server has sent every matching event up to
/// anything it sends afterwards. Positions only move forward, so an older replayed event never moves one back.
/// While resubscribing, events are held and then released sorted by id: each subscription's replay is in order, but
/// one replay after another would otherwise deliver older events after newer ones of another subscription.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The semaphore is only awaited asynchronously, so it never allocates a wait handle; it lives as long as the connection.")]
internal sealed class ResumableFeed<TEvent>
    where TEvent : class
{
    // A safety net for the rare duplicate, not a history: ids seen long ago cannot come back through a replay.
    private const int SeenCapacity = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _subscriptions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private readonly SemaphoreSlim _resumeLock = new(1, 1);
    private readonly HubConnection _connection;
    private readonly Func<TEvent, string> _messageIdOf;
    private readonly Func<TEvent, string?> _routeOf;
    private readonly Func<HistoryGap, Task> _onGap;
    private readonly Func<string, Exception, Task> _onResubscribeFailed;
    private readonly ILogger _logger;
    private volatile Func<TEvent, Task>[] _handlers = [];
    private List<TEvent>? _held;
    private long _duplicates;

    public ResumableFeed(
        HubConnection connection,
        string callbackName,
        Func<TEvent, string> messageIdOf,
        Func<TEvent, string?> routeOf,
        Func<HistoryGap, Task> onGap,
        Func<string, Exception, Task> onResubscribeFailed)
    {
        _connection = connection;
        _messageIdOf = messageIdOf;
        _routeOf = routeOf;
        _onGap = onGap;
        _onResubscribeFailed = onResubscribeFailed;
        _logger = connection.Logger;
        connection.On<TEvent>(callbackName, DeliverAsync);
        connection.Reconnected += _ => ResumeAsync();
    }

    /// <summary>Duplicates dropped so far (the server should send none; this counts what the safety net caught).</summary>
    public long DuplicatesDropped => Interlocked.Read(ref _duplicates);

    /// <summary>The position each subscription would resume after, by key (null: nothing known yet).</summary>
    public IReadOnlyDictionary<string, string?> Positions
    {
        get
        {
            lock (_lock)
            {
                return _subscriptions.ToDictionary(s => s.Key, s => s.Value.Last, StringComparer.Ordinal);
            }
        }
    }

    public IDisposable AddHandler(Func<TEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Registration(this, handler);
    }

    /// <summary>Subscribes through <paramref name="invoke"/> and remembers how to do it again after a reconnect.</summary>
    public async Task<TResult> SubscribeAsync<TResult>(
        string key,
        string? since,
        Func<string?, CancellationToken, Task<TResult>> invoke,
        Func<TResult, SubscribeOutcome> outcomeOf,
        CancellationToken cancellationToken)
    {
        var entry = new Entry(async (s, ct) => outcomeOf(await invoke(s, ct).ConfigureAwait(false))) { Last = since };
        lock (_lock)
        {
            _subscriptions[key] = entry;
        }

        TResult result;
        try
        {
            result = await invoke(since, cancellationToken).ConfigureAwait(false);
        }
        catch (HubInvocationException)
        {
            // Refused by the server: nothing to resume. A lost connection keeps the entry, so a reconnect retries it.
            Forget(key, entry);
            throw;
        }

        var outcome = outcomeOf(result);
        MarkLive(entry, outcome.Position);
        if (outcome.HistoryTruncated)
        {
            await ReportGapAsync(new HistoryGap(key, since, DuringResume: false)).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Stops resuming a subscription.</summary>
    public void Forget(string key)
    {
        lock (_lock)
        {
            _subscriptions.Remove(key);
        }
    }

    private void Forget(string key, Entry entry)
    {
        lock (_lock)
        {
            if (_subscriptions.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
            {
                _subscriptions.Remove(key);
            }
        }
    }

    private async Task DeliverAsync(TEvent item)
    {
        var id = _messageIdOf(item);
        var route = _routeOf(item);
        lock (_lock)
        {
            if (!_seen.Add(route + "\n" + id))
            {
                Interlocked.Increment(ref _duplicates);
                ResumeLog.DuplicateDropped(_logger, id);
                return;
            }

            _seenOrder.Enqueue(route + "\n" + id);
            if (_seenOrder.Count > SeenCapacity)
            {
                _seen.Remove(_seenOrder.Dequeue());
            }

            if (route is not null)
            {
                if (_subscriptions.TryGetValue(route, out var entry))
                {
                    entry.Last = MessageIds.Max(entry.Last, id);
                }
            }
            else
            {
                foreach (var entry in _subscriptions.Values)
                {
                    if (entry.Live)
                    {
                        entry.Last = MessageIds.Max(entry.Last, id);
                    }
                }
            }

            if (_held is not null)
            {
                _held.Add(item);
                return;
            }
        }

        await InvokeHandlersAsync(item).ConfigureAwait(false);
    }

    private async Task InvokeHandlersAsync(TEvent item)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                await handler(item).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One failing handler must not keep the others from the event.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ResumeLog.HandlerFailed(_logger, typeof(TEvent).Name, ex);
            }
        }
    }

    private async Task ResumeAsync()
    {
        // A second reconnect may come while the first resume still runs; one at a time keeps positions consistent.
        await _resumeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            KeyValuePair<string, Entry>[] entries;
            lock (_lock)
            {
                _held ??= [];
                foreach (var entry in _subscriptions.Values)
                {
                    entry.Live = false;
                }

                entries = [.. _subscriptions];
            }

            foreach (var (key, entry) in entries)
            {
                if (_connection.State != HubConnectionState.Connected)
                {
                    return; // lost again: the next Reconnected resumes from the positions reached so far
                }

                string? since;
                lock (_lock)
                {
                    if (!_subscriptions.TryGetValue(key, out var current) || !ReferenceEquals(current, entry))
                    {
                        continue;
                    }

                    since = entry.Last;
                }

                try
                {
                    var outcome = await entry.Resubscribe(since, CancellationToken.None).ConfigureAwait(false);
                    MarkLive(entry, outcome.Position);
                    ResumeLog.Resubscribed(_logger, key, since, outcome.Replayed);
                    if (outcome.HistoryTruncated)
                    {
                        await ReportGapAsync(new HistoryGap(key, since, DuringResume: true)).ConfigureAwait(false);
                    }
                }
#pragma warning disable CA1031 // Reported to the application; the other subscriptions still resume.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    ResumeLog.ResubscribeFailed(_logger, key, ex);
                    await InvokeSafelyAsync(() => _onResubscribeFailed(key, ex), "ResubscribeFailed").ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // Behind every event received so far, so the replays' events are all in the batch it sorts.
            _connection.EnqueueAfterReceived(ReleaseHeldAsync);
            _resumeLock.Release();
        }
    }

    private async Task ReleaseHeldAsync()
    {
        List<TEvent>? held;
        lock (_lock)
        {
            held = _held;
            _held = null;
        }

        if (held is null)
        {
            return;
        }

        // OrderBy is stable, so events with equal ids (one per route) keep their arrival order.
        foreach (var item in held.OrderBy(_messageIdOf, Comparer<string>.Create(MessageIds.Compare)))
        {
            await InvokeHandlersAsync(item).ConfigureAwait(false);
        }
    }

    private void MarkLive(Entry entry, string? position)
    {
        lock (_lock)
        {
            entry.Live = true;
            entry.Last = MessageIds.Max(entry.Last, position);
        }
    }

    private Task ReportGapAsync(HistoryGap gap)
    {
        ResumeLog.HistoryGap(_logger, gap.Subscription, gap.Since);
        return InvokeSafelyAsync(() => _onGap(gap), nameof(HistoryGap));
    }

    private async Task InvokeSafelyAsync(Func<Task> raise, string eventName)
    {
        try
        {
            await raise().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // An application handler must not break resume.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ResumeLog.HandlerFailed(_logger, eventName, ex);
        }
    }

    private void Remove(Func<TEvent, Task> handler)
    {
        lock (_lock)
        {
            _handlers = [.. _handlers.Where(h => h != handler)];
        }
    }

    private sealed class Entry(Func<string?, CancellationToken, Task<SubscribeOutcome>> resubscribe)
    {
        public Func<string?, CancellationToken, Task<SubscribeOutcome>> Resubscribe { get; } = resubscribe;

        public string? Last { get; set; }

        public bool Live { get; set; }
    }

    private sealed class Registration(ResumableFeed<TEvent> feed, Func<TEvent, Task> handler) : IDisposable
    {
        public void Dispose() => feed.Remove(handler);
    }
}
