using Microsoft.Extensions.Logging;

namespace Hubs.Server.Scaleout;

/// <summary>
/// The single-instance <see cref="IEventLog"/>: ring buffers per stream and one ordered dispatch loop per
/// topic. Ids use the Redis Streams format and never go backwards, even if the clock does.
/// </summary>
internal sealed class InMemoryEventLog : IEventLog, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StreamBuffer> _streams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TopicDispatcher> _topics = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILogger<InMemoryEventLog> _logger;
    private StreamId _last;

    public InMemoryEventLog(TimeProvider time, ILogger<InMemoryEventLog> logger)
    {
        _time = time;
        _logger = logger;
    }

    public ValueTask<string> AppendAsync(string? topic, string stream, ReadOnlyMemory<byte> payload, int maxLength, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = payload.ToArray();
        lock (_lock)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            _last = now > _last.Milliseconds ? new StreamId(now, 0) : _last with { Sequence = _last.Sequence + 1 };
            var entry = new LoggedEvent(stream, _last.ToString(), copy);

            if (!_streams.TryGetValue(stream, out var buffer))
            {
                buffer = new StreamBuffer();
                _streams.Add(stream, buffer);
            }

            buffer.Add(_last, entry, maxLength);

            // Written under the lock so that dispatch order is id order across concurrent publishers.
            if (topic is not null && _topics.TryGetValue(topic, out var subscribers))
            {
                subscribers.Post(entry);
            }

            return ValueTask.FromResult(entry.Id);
        }
    }

    public ValueTask<HistoryPage> ReadAfterAsync(string stream, string afterId, int maxCount, CancellationToken cancellationToken)
    {
        if (!StreamId.TryParse(afterId, out var after))
        {
            throw new ArgumentException($"'{afterId}' is not a message id.", nameof(afterId));
        }

        lock (_lock)
        {
            if (!_streams.TryGetValue(stream, out var buffer))
            {
                return ValueTask.FromResult(new HistoryPage([], Truncated: false));
            }

            return ValueTask.FromResult(buffer.ReadAfter(after, maxCount));
        }
    }

    public ValueTask<string> ReadLastIdAsync(string stream, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult((_streams.TryGetValue(stream, out var buffer) ? buffer.LastId : StreamId.Zero).ToString());
        }
    }

    public EventSubscription Subscribe(string topic, string stream, Func<LoggedEvent, ValueTask> handler)
    {
        lock (_lock)
        {
            if (!_topics.TryGetValue(topic, out var dispatcher))
            {
                dispatcher = new TopicDispatcher(topic, _logger);
                _topics.Add(topic, dispatcher);
            }

            dispatcher.Add(handler);
            return new EventSubscription(Task.CompletedTask, () => Unsubscribe(topic, dispatcher, handler));
        }
    }

    public async ValueTask DisposeAsync()
    {
        TopicDispatcher[] topics;
        lock (_lock)
        {
            topics = [.. _topics.Values];
            _topics.Clear();
        }

        foreach (var topic in topics)
        {
            await topic.DisposeAsync();
        }
    }

    private void Unsubscribe(string topic, TopicDispatcher dispatcher, Func<LoggedEvent, ValueTask> handler)
    {
        lock (_lock)
        {
            // Under the log's lock, so an append either still finds the topic or finds none; per-key topics
            // (one per project) would otherwise pile up for the life of the process.
            if (dispatcher.Remove(handler) > 0 || !_topics.TryGetValue(topic, out var current) || current != dispatcher)
            {
                return;
            }

            _topics.Remove(topic);
        }

        _ = dispatcher.DisposeAsync().AsTask();
    }

    private sealed class StreamBuffer
    {
        private readonly LinkedList<(StreamId Id, LoggedEvent Entry)> _entries = new();
        private StreamId _trimmedUpTo;

        public StreamId LastId => _entries.Last?.Value.Id ?? _trimmedUpTo;

        public void Add(StreamId id, LoggedEvent entry, int maxLength)
        {
            _entries.AddLast((id, entry));
            while (_entries.Count > maxLength)
            {
                _trimmedUpTo = _entries.First!.Value.Id;
                _entries.RemoveFirst();
            }
        }

        public HistoryPage ReadAfter(StreamId after, int maxCount)
        {
            var events = new List<LoggedEvent>();
            foreach (var (id, entry) in _entries)
            {
                if (id > after)
                {
                    events.Add(entry);
                    if (events.Count == maxCount)
                    {
                        break;
                    }
                }
            }

            return new HistoryPage(events, Truncated: after < _trimmedUpTo);
        }
    }
}
