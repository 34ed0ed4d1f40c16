using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace Hubs.Server.Scaleout.Redis;

/// <summary>
/// The shared <see cref="IEventLog"/>: Redis Streams for history and agent queues, pub/sub for live broadcast.
/// One Lua script does <c>XADD … MAXLEN ~ cap</c> and <c>PUBLISH</c> together, so across all instances the
/// broadcast order is the stream's id order. A failed append throws <see cref="BackplaneUnavailableException"/>.
/// Pub/sub is at-most-once: what is broadcast while this instance's subscription connection is down never arrives.
/// So each topic remembers the last id it delivered; when the connection is lost it holds back what arrives, and
/// once Redis is restored it reads the missed entries back from the topic's stream, delivers them, then what it held
/// (skipping ids already delivered): handlers get every entry once, in order, across a reconnect. Each broadcast also
/// names the stream's previous entry, so a loss this instance did not notice (a reconnect reported after broadcasts
/// already came in over the new connection) shows up as a gap and is read back the same way.
/// </summary>
internal sealed class RedisEventLog : IEventLog, IAsyncDisposable
{
    // ARGV: 1 cap, 2 payload, 3 channel ('' = do not broadcast), 4 logical stream name.
    // The broadcast is {id}\n{previous id in the stream}\n{stream byte length}\n{stream}{payload}.
    private const string AppendScript = """
        local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
        local previous = '0-0'
        if newest[1] then previous = newest[1][1] end
        local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'p', ARGV[2])
        if ARGV[3] ~= '' then
          redis.call('PUBLISH', ARGV[3], id .. '\n' .. previous .. '\n' .. string.len(ARGV[4]) .. '\n' .. ARGV[4] .. ARGV[2])
        end
        return id
        """;

    // Returns {last trimmed id, entries}; the trimmed id tells a reader whether it missed entries.
    private const string ReadScript = """
        local entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])
        local deleted = '0-0'
        if redis.call('EXISTS', KEYS[1]) == 1 then
          local info = redis.call('XINFO', 'STREAM', KEYS[1])
          for i = 1, #info, 2 do
            if info[i] == 'max-deleted-entry-id' then deleted = info[i + 1] end
          end
        end
        return {deleted, entries}
        """;

    private readonly RedisConnection _redis;
    private readonly ILogger<RedisEventLog> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Topic> _topics = new(StringComparer.Ordinal);

    public RedisEventLog(RedisConnection redis, ILogger<RedisEventLog> logger)
    {
        _redis = redis;
        _logger = logger;
        redis.OnLost(HoldBroadcasts);
        redis.OnRestored(CatchUpAsync);
    }

    public async ValueTask<string> AppendAsync(string? topic, string stream, ReadOnlyMemory<byte> payload, int maxLength, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var database = await _redis.DatabaseAsync();
            var result = await database.ScriptEvaluateAsync(
                AppendScript,
                [_redis.Channels.Stream(stream)],
                [maxLength, payload.ToArray(), topic is null ? string.Empty : _redis.Channels.Topic(topic), stream]);
            return (string)result!;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new BackplaneUnavailableException($"Redis is unavailable, the message was not stored: {ex.Message}", ex);
        }
    }

    public async ValueTask<HistoryPage> ReadAfterAsync(string stream, string afterId, int maxCount, CancellationToken cancellationToken)
    {
        if (!StreamId.TryParse(afterId, out var after))
        {
            throw new ArgumentException($"'{afterId}' is not a message id.", nameof(afterId));
        }

        try
        {
            var database = await _redis.DatabaseAsync();
            var result = (RedisResult[])(await database.ScriptEvaluateAsync(
                ReadScript, [_redis.Channels.Stream(stream)], [after.ToString(), maxCount]))!;
            var trimmedUpTo = StreamId.TryParse((string?)result[0], out var deleted) ? deleted : StreamId.Zero;
            var events = new List<LoggedEvent>();
            foreach (var entry in (RedisResult[])result[1]!)
            {
                var parts = (RedisResult[])entry!;
                var fields = (RedisResult[])parts[1]!;
                for (var i = 0; i + 1 < fields.Length; i += 2)
                {
                    if ((string?)fields[i] == "p")
                    {
                        events.Add(new LoggedEvent(stream, (string)parts[0]!, (byte[])fields[i + 1]!));
                    }
                }
            }

            return new HistoryPage(events, Truncated: after < trimmedUpTo);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new BackplaneUnavailableException($"Redis is unavailable, history cannot be read: {ex.Message}", ex);
        }
    }

    public async ValueTask<string> ReadLastIdAsync(string stream, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var database = await _redis.DatabaseAsync();
            var newest = await database.StreamRangeAsync(_redis.Channels.Stream(stream), count: 1, messageOrder: Order.Descending);
            return newest.Length == 0 ? StreamId.Zero.ToString() : (string)newest[0].Id!;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new BackplaneUnavailableException($"Redis is unavailable, the stream position cannot be read: {ex.Message}", ex);
        }
    }

    public EventSubscription Subscribe(string topic, string stream, Func<LoggedEvent, ValueTask> handler)
    {
        Topic subscribers;
        lock (_lock)
        {
            if (!_topics.TryGetValue(topic, out subscribers!))
            {
                subscribers = new Topic(this, topic, _redis.Channels.Topic(topic), stream, _logger);
                if (_redis.State == RedisConnection.StateDegraded)
                {
                    subscribers.Hold();
                }

                _topics.Add(topic, subscribers);
            }

            subscribers.Handlers++;
            subscribers.Dispatcher.Add(handler);
        }

        // Off the caller's thread: callers subscribe under their own locks, and the Redis round trip is not theirs to wait for.
        return new EventSubscription(Task.Run(() => ReconcileAsync(subscribers)), () =>
        {
            lock (_lock)
            {
                subscribers.Dispatcher.Remove(handler);
                subscribers.Handlers--;
            }

            _ = Task.Run(() => ReconcileAsync(subscribers));
        });
    }

    public async ValueTask DisposeAsync()
    {
        Topic[] topics;
        lock (_lock)
        {
            topics = [.. _topics.Values];
            _topics.Clear();
        }

        foreach (var topic in topics)
        {
            await topic.Gate.WaitAsync();
            try
            {
                if (topic.Subscribed)
                {
                    await _redis.ReleaseAsync(topic.ChannelName);
                    topic.Subscribed = false;
                }
            }
            finally
            {
                topic.Gate.Release();
            }

            await topic.Dispatcher.DisposeAsync();
        }
    }

    /// <summary>
    /// Brings the topic's Redis subscription in line with its handler count: subscribed while it has handlers,
    /// released and forgotten when it has none. One change at a time per topic, so a quick unsubscribe/subscribe
    /// cannot leave the channel released while handlers wait, or subscribed with a retired topic's callback.
    /// </summary>
    private async Task ReconcileAsync(Topic topic)
    {
        var retired = false;
        await topic.Gate.WaitAsync();
        try
        {
            bool wanted;
            lock (_lock)
            {
                wanted = topic.Handlers > 0;
            }

            if (wanted && !topic.Subscribed)
            {
                await _redis.AcquireAsync(topic.ChannelName, topic.OnMessage);
                topic.Subscribed = true;

                // Where a catch-up starts if the connection is lost before the topic delivered anything. Unknown
                // while Redis is down: the topic is then held from the start and cannot read back what it missed.
                try
                {
                    topic.SubscribedAfter(StreamId.TryParse(await ReadLastIdAsync(topic.Stream, CancellationToken.None), out var newest) ? newest : StreamId.Zero);
                }
                catch (BackplaneUnavailableException)
                {
                    // Left unknown: a loss before the first delivery is then logged as not recoverable (event 320).
                }
            }
            else if (!wanted && topic.Subscribed)
            {
                await _redis.ReleaseAsync(topic.ChannelName);
                topic.Subscribed = false;
            }

            if (!wanted)
            {
                lock (_lock)
                {
                    if (topic.Handlers == 0 && _topics.TryGetValue(topic.Name, out var current) && current == topic)
                    {
                        _topics.Remove(topic.Name);
                        retired = true;
                    }
                }
            }
        }
#pragma warning disable CA1031 // Runs detached from any caller: a failure is logged, and RedisConnection retries recorded subscriptions on reconnect.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RedisLog.TopicSubscriptionFailed(_logger, topic.Name, ex);
        }
        finally
        {
            topic.Gate.Release();
        }

        if (retired)
        {
            await topic.Dispatcher.DisposeAsync();
        }
    }

    private void HoldBroadcasts()
    {
        lock (_lock)
        {
            foreach (var topic in _topics.Values)
            {
                topic.Hold();
            }
        }
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        Topic[] topics;
        lock (_lock)
        {
            topics = [.. _topics.Values];
        }

        foreach (var topic in topics)
        {
            await topic.CatchUpAsync(cancellationToken);
        }
    }

    /// <summary>Parses <c>{id}\n{previous id}\n{stream byte length}\n{stream}{payload}</c>.</summary>
    internal static bool TryParseBroadcast(byte[] message, out LoggedEvent entry, out StreamId previous)
    {
        entry = default;
        previous = default;
        var first = Array.IndexOf(message, (byte)'\n');
        var second = first < 0 ? -1 : Array.IndexOf(message, (byte)'\n', first + 1);
        var third = second < 0 ? -1 : Array.IndexOf(message, (byte)'\n', second + 1);
        if (third < 0 || !StreamId.TryParse(Encoding.ASCII.GetString(message, first + 1, second - first - 1), out previous)
            || !int.TryParse(message.AsSpan(second + 1, third - second - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var streamLength)
            || third + 1 + streamLength > message.Length)
        {
            return false;
        }

        var id = Encoding.UTF8.GetString(message, 0, first);
        var stream = Encoding.UTF8.GetString(message, third + 1, streamLength);
        entry = new LoggedEvent(stream, id, message.AsMemory(third + 1 + streamLength));
        return true;
    }

    /// <summary>One Redis subscription per topic, fanned out in arrival order to this instance's handlers.</summary>
    private sealed class Topic(RedisEventLog log, string name, string channel, string stream, ILogger logger)
    {
        // A gap's read-back is retried this often before the topic gives up on it and delivers what it held.
        private const int GapReadAttempts = 3;

        // Broadcasts held while the connection is down beyond this many: the oldest go, since the catch-up reads
        // everything up to the stream's end anyway; the held ones only cover what arrives after that read.
        private const int MaxHeld = 10_000;
        private const int CatchUpPageSize = 500;

        private readonly Lock _sync = new();
        private StreamId? _lastPosted;
        private StreamId? _subscribedAfter;
        private Queue<LoggedEvent>? _held;
        private int _holds;

        public string Name { get; } = name;

        public string ChannelName { get; } = channel;

        public string Stream { get; } = stream;

        public TopicDispatcher Dispatcher { get; } = new(name, logger);

        /// <summary>Handlers subscribed now (under the log's lock).</summary>
        public int Handlers { get; set; }

        /// <summary>Whether this topic holds the Redis channel (under <see cref="Gate"/>).</summary>
        public bool Subscribed { get; set; }

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public void OnMessage(RedisValue value)
        {
            if (!TryParseBroadcast((byte[])value!, out var entry, out var previous))
            {
                return;
            }

            var gap = 0;
            lock (_sync)
            {
                // The stream holds an entry between the last one delivered and this one that never arrived: pub/sub
                // dropped it while a reconnect was not yet reported. Hold from here and read the gap back.
                if (_held is null && (_lastPosted ?? _subscribedAfter) is { } known && previous > known
                    && string.Equals(entry.Stream, Stream, StringComparison.Ordinal))
                {
                    _held = new Queue<LoggedEvent>();
                    gap = ++_holds;
                }

                if (_held is null)
                {
                    PostOnce(entry);
                }
                else
                {
                    if (_held.Count == MaxHeld)
                    {
                        _held.Dequeue();
                    }

                    _held.Enqueue(entry);
                }
            }

            if (gap > 0)
            {
                RedisLog.TopicGap(logger, Name, Stream);
                _ = ReadGapBackAsync(gap);
            }
        }

        private async Task ReadGapBackAsync(int holds)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await CatchUpAsync(CancellationToken.None);
                    return;
                }
#pragma warning disable CA1031 // Runs detached: whatever fails, the topic must not stay holding, and the failure is logged.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    if (attempt == GapReadAttempts || ex is not (BackplaneUnavailableException or RedisException or TimeoutException))
                    {
                        // Not stuck holding forever when Redis answers publishes but not this read: deliver what is
                        // held; a client resuming with since still gets the gap from history.
                        RedisLog.TopicGapNotRead(logger, Name, Stream, ex);
                        ReleaseHeld(holds);
                        return;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt));
                }
            }
        }

        // Delivers what is held and stops holding, unless the topic was held again since (the connection was found
        // lost): what arrived after that may follow a gap, so it waits for the read-back of the restore that follows.
        private void ReleaseHeld(int holds)
        {
            lock (_sync)
            {
                if (_held is null || _holds != holds)
                {
                    return;
                }

                while (_held.TryDequeue(out var entry))
                {
                    PostOnce(entry);
                }

                _held = null;
            }
        }

        public void SubscribedAfter(StreamId newest)
        {
            lock (_sync)
            {
                _subscribedAfter ??= newest;
            }
        }

        /// <summary>From now until a catch-up completes, broadcasts are held instead of delivered.</summary>
        public void Hold()
        {
            lock (_sync)
            {
                _held ??= new Queue<LoggedEvent>();
                _holds++;
            }
        }

        /// <summary>
        /// Delivers what the stream holds after the last delivered id, then the held broadcasts, each id once, and
        /// stops holding, unless the connection was lost again meanwhile. A failed read leaves the topic holding,
        /// for the next restore to try again.
        /// </summary>
        public async Task CatchUpAsync(CancellationToken cancellationToken)
        {
            StreamId? from;
            int holds;
            lock (_sync)
            {
                if (_held is null)
                {
                    return;
                }

                from = _lastPosted ?? _subscribedAfter;
                holds = _holds;
            }

            var replayed = 0;
            if (from is { } cursor)
            {
                while (true)
                {
                    var page = await log.ReadAfterAsync(Stream, cursor.ToString(), CatchUpPageSize, cancellationToken);
                    if (page.Truncated && replayed == 0)
                    {
                        RedisLog.TopicCatchUpTruncated(logger, Name, Stream);
                    }

                    lock (_sync)
                    {
                        foreach (var entry in page.Events)
                        {
                            replayed += PostOnce(entry) ? 1 : 0;
                        }
                    }

                    if (page.Events.Count < CatchUpPageSize || !StreamId.TryParse(page.Events[^1].Id, out cursor))
                    {
                        break;
                    }
                }
            }
            else
            {
                RedisLog.TopicCatchUpWithoutPosition(logger, Name, Stream);
            }

            ReleaseHeld(holds);
            if (replayed > 0)
            {
                RedisLog.TopicCaughtUp(logger, Name, replayed, Stream);
            }
        }

        // Under _sync. Broadcasts of one stream arrive in id order, so an id at or below the last one delivered is
        // one the catch-up delivered already.
        private bool PostOnce(LoggedEvent entry)
        {
            if (string.Equals(entry.Stream, Stream, StringComparison.Ordinal) && StreamId.TryParse(entry.Id, out var id))
            {
                if (_lastPosted is { } last && id <= last)
                {
                    return false;
                }

                _lastPosted = id;
            }

            Dispatcher.Post(entry);
            return true;
        }
    }
}
