namespace Hubs.Server.Scaleout;

/// <summary>
/// Retained, ordered domain events shared by every instance. Incident events and project updates go
/// through here (not through SignalR groups) because they need a position (<c>message_id</c>) for
/// <c>since</c> replay, and per-connection filtering on the instance that holds the connection.
/// In-memory: <see cref="InMemoryEventLog"/>; with Redis: Redis Streams + pub/sub.
/// </summary>
internal interface IEventLog
{
    /// <summary>
    /// Appends <paramref name="payload"/> to <paramref name="stream"/> (capped history) and broadcasts it on
    /// <paramref name="topic"/> to every instance, atomically, so the broadcast order is the id order.
    /// Keeps at most about <paramref name="maxLength"/> entries in the stream. Returns the entry's id, which
    /// increases strictly within the stream. <paramref name="topic"/> may be null: retained, not broadcast.
    /// </summary>
    ValueTask<string> AppendAsync(string? topic, string stream, ReadOnlyMemory<byte> payload, int maxLength, CancellationToken cancellationToken);

    /// <summary>Reads the retained entries of <paramref name="stream"/> after <paramref name="afterId"/> (exclusive), oldest first.</summary>
    ValueTask<HistoryPage> ReadAfterAsync(string stream, string afterId, int maxCount, CancellationToken cancellationToken);

    /// <summary>The id of the newest entry of <paramref name="stream"/> (<c>0-0</c> when it has none).</summary>
    ValueTask<string> ReadLastIdAsync(string stream, CancellationToken cancellationToken);

    /// <summary>
    /// Calls <paramref name="handler"/> for every entry broadcast on <paramref name="topic"/>, by any instance,
    /// one at a time and in broadcast order, from the moment the result's <see cref="EventSubscription.Ready"/>
    /// completes. Dispose the result to stop. A topic nobody on this instance subscribes to costs this instance
    /// nothing (with Redis: the instance is not subscribed to its channel). <paramref name="stream"/> is the stream
    /// whose appends the topic broadcasts: what the topic misses while the backplane connection is down is read
    /// back from it, so handlers still get every entry once, in order.
    /// </summary>
    EventSubscription Subscribe(string topic, string stream, Func<LoggedEvent, ValueTask> handler);
}
