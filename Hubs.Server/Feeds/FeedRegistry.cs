using Hubs.Server.Scaleout;

namespace Hubs.Server.Feeds;

/// <summary>
/// The subscriptions of one domain's local connections, and the rules that make delivery exactly-once and
/// ordered per subscription when a subscription starts with <c>since</c>:
/// <list type="number">
/// <item>the subscription is registered first, then history after <c>since</c> is read and sent;</item>
/// <item>while that replay runs, live events for the connection are held back, then sent after it, minus the
///   ones the replay already sent — so there is no gap and no duplicate at the switch-over;</item>
/// <item>an event is delivered once per connection however many of its subscriptions match; a replay skips
///   events another subscription of the connection already covers.</item>
/// </list>
/// Dispatch is called by one ordered loop per topic; subscribe/unsubscribe by hub calls on any thread.
/// A feed whose events travel on one topic per route (projects) passes <c>openRoute</c>: the registry holds that
/// topic while any local connection subscribes to the route, and a subscription starts only once it is live.
/// </summary>
/// <typeparam name="TEvent">The domain event as delivered (built once per event).</typeparam>
/// <typeparam name="TRecipient">What a live event is delivered to, found once per connection when it first
/// subscribes (the feeds use the connection's outbox, so dispatch looks nothing up per recipient).</typeparam>
internal sealed class FeedRegistry<TEvent, TRecipient>
    where TEvent : class
    where TRecipient : class
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Route> _byRoute = new(StringComparer.Ordinal);
    private readonly Func<string, TRecipient?> _recipientOf;
    private readonly Func<string, EventSubscription>? _openRoute;
    private readonly Func<string?, CancellationToken, ValueTask<StreamId>>? _readPosition;
    private StreamId _lastDispatched;

    /// <param name="recipientOf">Finds a connection's recipient by connection id; null: the connection is not open on
    /// this instance, and its subscribe fails.</param>
    /// <param name="openRoute">Subscribes to the topic of a route when its first local subscription arrives; the
    /// result is disposed when the last one leaves. Null: the feed's events arrive on one topic the feed holds.</param>
    /// <param name="readPosition">Reads the newest retained id of a route's stream (the route is null for a feed
    /// without routes), for the position of a subscription without <c>since</c>. Null: the last dispatched id.</param>
    public FeedRegistry(Func<string, TRecipient?> recipientOf, Func<string, EventSubscription>? openRoute = null, Func<string?, CancellationToken, ValueTask<StreamId>>? readPosition = null)
    {
        _recipientOf = recipientOf;
        _openRoute = openRoute;
        _readPosition = readPosition;
    }

    /// <summary>Number of subscriptions a connection holds.</summary>
    public int Count(string connectionId)
    {
        lock (_lock)
        {
            return _connections.TryGetValue(connectionId, out var c) ? c.Subscriptions.Count : 0;
        }
    }

    /// <summary>Total subscriptions on this instance.</summary>
    public int TotalSubscriptions
    {
        get
        {
            lock (_lock)
            {
                return _connections.Values.Sum(c => c.Subscriptions.Count);
            }
        }
    }

    /// <summary>Whether the connection holds a subscription with this key.</summary>
    public bool Contains(string connectionId, string key)
    {
        lock (_lock)
        {
            return _connections.TryGetValue(connectionId, out var c) && c.Subscriptions.ContainsKey(key);
        }
    }

    /// <summary>
    /// Routes one live event. Returns the recipients to send it to now; connections in a replay get it later.
    /// <paramref name="route"/> limits the candidates to subscriptions with that route (null: every subscription).
    /// </summary>
    public IReadOnlyList<TRecipient> Dispatch(StreamId id, string? route, TEvent item)
    {
        lock (_lock)
        {
            if (id > _lastDispatched)
            {
                _lastDispatched = id;
            }

            IEnumerable<Connection> candidates = route is null
                ? _connections.Values
                : _byRoute.TryGetValue(route, out var routed) ? routed.Connections : [];

            List<TRecipient>? now = null;
            foreach (var connection in candidates)
            {
                if (!connection.AnyMatches(item))
                {
                    continue;
                }

                if (connection.Replaying > 0)
                {
                    connection.Pending.Add((id, item));
                }
                else
                {
                    (now ??= []).Add(connection.Recipient);
                }
            }

            return (IReadOnlyList<TRecipient>?)now ?? [];
        }
    }

    /// <summary>
    /// Adds or replaces a subscription and, with <paramref name="since"/>, replays retained events after it
    /// through <paramref name="send"/> before live events resume. <paramref name="readHistory"/> pages through
    /// retained events after a position (ascending, at most one page per call).
    /// </summary>
    public async Task<FeedReplay> SubscribeAsync(
        string connectionId,
        string key,
        string? route,
        Func<TEvent, bool> matches,
        StreamId? since,
        Func<StreamId, CancellationToken, ValueTask<(IReadOnlyList<(StreamId Id, TEvent Item)> Page, bool Truncated)>> readHistory,
        Func<TEvent, CancellationToken, Task> send,
        CancellationToken cancellationToken)
    {
        Connection connection;
        FeedSubscription<TEvent>[] others;
        FeedSubscription<TEvent> subscription;
        Task? routeReady = null;
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionId, out connection!))
            {
                connection = new Connection(connectionId, _recipientOf(connectionId)
                    ?? throw new InvalidOperationException($"Connection '{connectionId}' is not open on this instance."));
                _connections.Add(connectionId, connection);
            }

            // The subscriptions as they were before this call decide what a replay may skip (a replaced one included).
            others = [.. connection.Subscriptions.Values];
            subscription = new FeedSubscription<TEvent>(key, route, matches, since ?? _lastDispatched);
            connection.Subscriptions.TryGetValue(key, out var replaced);
            connection.Subscriptions[key] = subscription;
            if (replaced?.Route is { } replacedRoute && replacedRoute != route)
            {
                LeaveRoute(connection, replacedRoute);
            }

            if (route is not null)
            {
                if (!_byRoute.TryGetValue(route, out var routed))
                {
                    routed = new Route(_openRoute?.Invoke(route));
                    _byRoute.Add(route, routed);
                }

                routed.Connections.Add(connection);
                routeReady = routed.Live?.Ready;
            }

            if (since is not null)
            {
                connection.Replaying++;
            }
        }

        // Waited for before the history read: once the route's topic is live, every event appended later reaches
        // this instance, so nothing falls between the replay and the live events, and without since nothing
        // published after the hub call returns is missed.
        if (since is null)
        {
            if (routeReady is not null)
            {
                await routeReady.WaitAsync(cancellationToken);
            }

            return new FeedReplay(0, false, await CoverFromNewestAsync(connection, subscription, cancellationToken));
        }

        var replayedIds = new HashSet<StreamId>();
        var truncated = false;
        try
        {
            if (routeReady is not null)
            {
                await routeReady.WaitAsync(cancellationToken);
            }

            var position = since.Value;
            while (true)
            {
                var (page, pageTruncated) = await readHistory(position, cancellationToken);
                truncated |= pageTruncated && position == since.Value;
                if (page.Count == 0)
                {
                    break;
                }

                foreach (var (id, item) in page)
                {
                    position = id;
                    if (!matches(item) || others.Any(o => o.CoveredAfter < id && o.Matches(item)))
                    {
                        continue;
                    }

                    replayedIds.Add(id);
                    await send(item, cancellationToken);
                }
            }
        }
        finally
        {
            await FlushPendingAsync(connection, replayedIds, send);
        }

        return new FeedReplay(replayedIds.Count, truncated, since.Value);
    }

    /// <summary>
    /// The position of a subscription without <c>since</c>. The last dispatched id is all an instance knows by itself,
    /// and it is <c>0-0</c> on an instance that has dispatched nothing yet (or, with a topic per route, belongs to
    /// another route's stream), so a client resuming from it would be replayed everything retained from before it
    /// subscribed. The stream's newest id, read once the topic is live, is a position after which every event reaches
    /// the subscription live; the subscription's coverage moves up to it too, so a later re-subscribe with an older
    /// <c>since</c> replays exactly what came before it.
    /// </summary>
    private async ValueTask<StreamId> CoverFromNewestAsync(Connection connection, FeedSubscription<TEvent> subscription, CancellationToken cancellationToken)
    {
        if (_readPosition is null)
        {
            return subscription.CoveredAfter;
        }

        var newest = await _readPosition(subscription.Route, cancellationToken);
        lock (_lock)
        {
            if (newest <= subscription.CoveredAfter)
            {
                return subscription.CoveredAfter;
            }

            if (connection.Subscriptions.TryGetValue(subscription.Key, out var current) && current == subscription)
            {
                connection.Subscriptions[subscription.Key] = subscription with { CoveredAfter = newest };
            }

            return newest;
        }
    }

    /// <summary>Removes a subscription; false when the connection has none with that key.</summary>
    public bool Unsubscribe(string connectionId, string key)
    {
        lock (_lock)
        {
            if (!_connections.TryGetValue(connectionId, out var connection) || !connection.Subscriptions.ContainsKey(key))
            {
                return false;
            }

            connection.Subscriptions.Remove(key, out var removed);
            if (removed!.Route is { } route)
            {
                LeaveRoute(connection, route);
            }

            return true;
        }
    }

    /// <summary>Forgets a closed connection.</summary>
    public int RemoveConnection(string connectionId)
    {
        lock (_lock)
        {
            if (!_connections.Remove(connectionId, out var connection))
            {
                return 0;
            }

            var count = connection.Subscriptions.Count;
            var routes = connection.Subscriptions.Values.Select(s => s.Route).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
            connection.Subscriptions.Clear();
            foreach (var route in routes)
            {
                LeaveRoute(connection, route);
            }

            return count;
        }
    }

    private async Task FlushPendingAsync(Connection connection, HashSet<StreamId> replayedIds, Func<TEvent, CancellationToken, Task> send)
    {
        // Held-back live events go out in order; the dispatcher keeps holding new ones back until this
        // loop finds the queue empty under the lock, so nothing overtakes them.
        while (true)
        {
            List<(StreamId Id, TEvent Item)> batch;
            lock (_lock)
            {
                if (connection.Pending.Count == 0)
                {
                    connection.Replaying--;
                    return;
                }

                batch = [.. connection.Pending];
                connection.Pending.Clear();
            }

            foreach (var (id, item) in batch)
            {
                if (!replayedIds.Contains(id))
                {
                    await send(item, CancellationToken.None);
                }
            }
        }
    }

    /// <summary>Takes the connection off <paramref name="route"/> unless another of its subscriptions still has it.</summary>
    private void LeaveRoute(Connection connection, string route)
    {
        if (connection.Subscriptions.Values.Any(s => s.Route == route) || !_byRoute.TryGetValue(route, out var routed))
        {
            return;
        }

        routed.Connections.Remove(connection);
        if (routed.Connections.Count == 0)
        {
            _byRoute.Remove(route);
            routed.Live?.Dispose();
        }
    }

    private sealed class Route(EventSubscription? live)
    {
        public HashSet<Connection> Connections { get; } = [];

        /// <summary>The route's topic subscription (with <c>openRoute</c>), held while <see cref="Connections"/> is not empty.</summary>
        public EventSubscription? Live { get; } = live;
    }

    private sealed class Connection(string id, TRecipient recipient)
    {
        public string Id { get; } = id;

        public TRecipient Recipient { get; } = recipient;

        public Dictionary<string, FeedSubscription<TEvent>> Subscriptions { get; } = new(StringComparer.Ordinal);

        public int Replaying { get; set; }

        public List<(StreamId Id, TEvent Item)> Pending { get; } = [];

        public bool AnyMatches(TEvent item)
        {
            foreach (var subscription in Subscriptions.Values)
            {
                if (subscription.Matches(item))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
