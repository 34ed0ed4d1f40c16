using Hubs.Server.Observability;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hubs.Server.Scaleout.Redis;

/// <summary>
/// The one Redis connection of this instance (StackExchange.Redis multiplexes everything over it), its state for
/// health, and the reference-counted channel subscriptions of every component. All StackExchange.Redis
/// specifics that matter on reconnect live here: after a reconnect every wanted subscription is subscribed again
/// (unsubscribe + subscribe, so a handler is never registered twice) before the state says "connected".
/// Every subscription is a <see cref="ChannelMessageQueue"/> drained by one handler at a time: StackExchange.Redis
/// 2.x and later run plain subscription callbacks concurrently, and the event logs and group sends need the
/// messages of a channel in the order Redis sent them.
/// </summary>
internal sealed class RedisConnection : IHostedService, IAsyncDisposable
{
    public const string StateConnecting = "connecting";
    public const string StateConnected = "connected";
    public const string StateDegraded = "degraded";

    private readonly RedisOptions _options;
    private readonly HubsMetrics _metrics;
    private readonly ILogger<RedisConnection> _logger;
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;
    private readonly SemaphoreSlim _subscriptionsLock = new(1, 1);
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly List<Func<CancellationToken, Task>> _restoreCallbacks = [];
    private readonly List<Action> _lostCallbacks = [];
    private volatile string _state = StateConnecting;

    // False from a failure until a restore re-subscribed everything: meanwhile new subscriptions are only recorded
    // (the restore subscribes them) instead of each waiting for a timeout against a dead server.
    private volatile bool _subscribeLive = true;
    private int _restoreRunning;
    private CancellationTokenSource? _probing;
    private Task? _probe;

    public RedisConnection(IOptions<RedisOptions> options, HubsMetrics metrics, ILogger<RedisConnection> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        Channels = new RedisChannels(_options.ChannelPrefix);
        _connection = new Lazy<Task<ConnectionMultiplexer>>(ConnectAsync);
    }

    /// <summary>This process's id on the backplane (several instances may share a machine and a process id space).</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    public RedisChannels Channels { get; }

    public RedisOptions Options => _options;

    /// <summary><see cref="StateConnecting"/>, <see cref="StateConnected"/> or <see cref="StateDegraded"/>.</summary>
    public string State => _state;

    public Task<ConnectionMultiplexer> GetAsync() => _connection.Value;

    public async Task<IDatabase> DatabaseAsync() => (await GetAsync()).GetDatabase();

    /// <summary>
    /// Runs, synchronously and quickly, whenever the connection is found lost and again before a restore
    /// re-subscribes: until the restore's <see cref="OnRestored"/> callbacks ran, broadcasts may arrive out of turn.
    /// </summary>
    public void OnLost(Action callback)
    {
        lock (_lostCallbacks)
        {
            _lostCallbacks.Add(callback);
        }
    }

    /// <summary>Runs after every reconnect (e.g. presence re-registers this instance's users).</summary>
    public void OnRestored(Func<CancellationToken, Task> callback)
    {
        lock (_restoreCallbacks)
        {
            _restoreCallbacks.Add(callback);
        }
    }

    /// <summary>Publishes once; returns the number of subscribers that got it (0 also when Redis is down and <paramref name="throwOnFailure"/> is false).</summary>
    public async Task<long> PublishAsync(string channel, byte[] message, bool throwOnFailure)
    {
        if (_state == StateDegraded)
        {
            // Known outage: fail fast instead of waiting for a timeout on every hub send.
            _metrics.BackplanePublishFailed();
            return throwOnFailure ? throw new BackplaneUnavailableException("Redis is unavailable (reconnecting).") : 0;
        }

        try
        {
            var multiplexer = await GetAsync();
            var receivers = await multiplexer.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), message);
            _metrics.BackplanePublished();
            return receivers;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            _metrics.BackplanePublishFailed();
            if (throwOnFailure)
            {
                throw new BackplaneUnavailableException($"Redis is unavailable: {ex.Message}", ex);
            }

            RedisLog.PublishFailed(_logger, channel, ex);
            return 0;
        }
    }

    /// <summary>Subscribes on the first acquire of <paramref name="channel"/>; later acquires only count. A failed subscribe is retried on reconnect.</summary>
    public async Task AcquireAsync(string channel, Action<RedisValue> handler)
    {
        await _subscriptionsLock.WaitAsync();
        try
        {
            if (_subscriptions.TryGetValue(channel, out var existing))
            {
                existing.Count++;
                return;
            }

            var subscription = new Subscription(channel, WrapHandler(channel, handler));
            _subscriptions.Add(channel, subscription);
            if (_subscribeLive)
            {
                await TrySubscribeAsync(subscription);
            }
        }
        finally
        {
            _subscriptionsLock.Release();
        }
    }

    /// <summary>Unsubscribes on the last release.</summary>
    public async Task ReleaseAsync(string channel)
    {
        await _subscriptionsLock.WaitAsync();
        try
        {
            if (!_subscriptions.TryGetValue(channel, out var existing) || --existing.Count > 0)
            {
                return;
            }

            _subscriptions.Remove(channel);
            await UnsubscribeAsync(existing);
        }
        finally
        {
            _subscriptionsLock.Release();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await GetAsync();
        _probing = new CancellationTokenSource();
        _probe = ProbeAsync(_probing.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_probing is not null)
        {
            await _probing.CancelAsync();
            await _probe!.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _probing.Dispose();
            _probing = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            var multiplexer = await _connection.Value;
            await multiplexer.CloseAsync(allowCommandsToComplete: false);
            multiplexer.Dispose();
        }

        _subscriptionsLock.Dispose();
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var configuration = ConfigurationOptions.Parse(_options.Configuration!);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = (int)_options.ConnectTimeout.TotalMilliseconds;
        configuration.SyncTimeout = (int)_options.OperationTimeout.TotalMilliseconds;
        configuration.ClientName ??= "hubs-" + InstanceId;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);

        var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
        multiplexer.ConnectionFailed += (_, e) =>
        {
            MarkLost();
            RedisLog.ConnectionLost(_logger, e.FailureType.ToString(), e.ConnectionType.ToString(), e.Exception);
        };
        multiplexer.ConnectionRestored += (_, e) =>
        {
            _metrics.BackplaneReconnected();
            _ = RestoreAsync(e.ConnectionType.ToString());
        };
        _state = multiplexer.IsConnected ? StateConnected : StateDegraded;
        RedisLog.Connected(_logger, _options.Configuration!, InstanceId, _options.ChannelPrefix);
        return multiplexer;
    }

    // Connection events alone are not enough (a killed server is not always reported at once, and a reconnect
    // after a failed initial connect may raise nothing), so a PING decides: failing means
    // degraded, succeeding while degraded restores every subscription and only then reports connected.
    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ProbeInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                var database = await DatabaseAsync();
                await database.PingAsync().WaitAsync(_options.OperationTimeout, cancellationToken);
                if (_state != StateConnected)
                {
                    await RestoreAsync("probe");
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (_state == StateConnected)
                {
                    RedisLog.ConnectionLost(_logger, "PingFailed", "Interactive", ex);
                }

                MarkLost();
            }
        }
    }

    private async Task RestoreAsync(string connectionType)
    {
        // One restore at a time; a restore that finds the connection half-up leaves the state degraded and the
        // next ConnectionRestored event runs it again.
        if (Interlocked.Exchange(ref _restoreRunning, 1) == 1)
        {
            await Task.Delay(200);
            if (Interlocked.Exchange(ref _restoreRunning, 1) == 1)
            {
                return;
            }
        }

        try
        {
            // Restores come from two sources (the PING probe and ConnectionRestored), often for one outage. A second
            // restore after a good one would unsubscribe and resubscribe every channel while the state already says
            // "connected", and broadcasts published in that window would be missed here. Nothing has failed since
            // the last good restore, so there is nothing to restore.
            if (_state == StateConnected && _subscribeLive)
            {
                return;
            }

            // StackExchange.Redis may have re-subscribed on its own already, and the loop below re-subscribes again:
            // whoever holds back broadcasts until the callbacks ran must be holding them from here on.
            RaiseLost();
            var ok = true;
            await _subscriptionsLock.WaitAsync();
            try
            {
                RedisLog.ConnectionRestored(_logger, connectionType, _subscriptions.Count);
                foreach (var subscription in _subscriptions.Values)
                {
                    await UnsubscribeAsync(subscription);
                    ok &= await TrySubscribeAsync(subscription);
                }

                _subscribeLive = ok;
            }
            finally
            {
                _subscriptionsLock.Release();
            }

            // The callbacks read the streams up to now and then stop holding broadcasts back, so they may only run
            // once broadcasts arrive again: SUBSCRIBE can complete while the subscription connection is still
            // reconnecting (the PING probe can find the interactive connection fine before that), and whatever is
            // published between their read and that moment would be lost. Until then the state stays degraded and
            // the next probe tries again.
            var multiplexerNow = await GetAsync();
            if (!ok || !multiplexerNow.IsConnected || !await SubscriptionsDeliverAsync(multiplexerNow))
            {
                _state = StateDegraded;
                return;
            }

            Func<CancellationToken, Task>[] callbacks;
            lock (_restoreCallbacks)
            {
                callbacks = [.. _restoreCallbacks];
            }

            using var timeout = new CancellationTokenSource(_options.OperationTimeout);
            foreach (var callback in callbacks)
            {
                try
                {
                    await callback(timeout.Token);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException or BackplaneUnavailableException)
                {
                    ok = false;
                }
            }

            _state = ok ? StateConnected : StateDegraded;
        }
        finally
        {
            Volatile.Write(ref _restoreRunning, 0);
        }
    }

    private void MarkLost()
    {
        _state = StateDegraded;
        _subscribeLive = false;
        RaiseLost();
    }

    private void RaiseLost()
    {
        Action[] callbacks;
        lock (_lostCallbacks)
        {
            callbacks = [.. _lostCallbacks];
        }

        foreach (var callback in callbacks)
        {
            callback();
        }
    }

    /// <summary>
    /// True once a message published now comes back through this instance's subscription connection. SUBSCRIBE can
    /// complete while that connection is still reconnecting, and "connected" must mean broadcasts arrive again
    /// (the subscriptions restored before this one share the connection, so they are live too).
    /// </summary>
    private async Task<bool> SubscriptionsDeliverAsync(ConnectionMultiplexer multiplexer)
    {
        var channel = RedisChannel.Literal(Channels.Probe(InstanceId));
        var token = Guid.NewGuid().ToString("N");
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Action<RedisChannel, RedisValue> handler = (_, value) =>
        {
            if (value == token)
            {
                received.TrySetResult();
            }
        };
        var subscriber = multiplexer.GetSubscriber();
        try
        {
            await subscriber.SubscribeAsync(channel, handler);
            var deadline = DateTime.UtcNow + _options.OperationTimeout;
            while (DateTime.UtcNow < deadline)
            {
                // The PUBLISH travels on the other connection, so it may overtake the SUBSCRIBE: repeat it.
                await subscriber.PublishAsync(channel, token);
                if (await Task.WhenAny(received.Task, Task.Delay(100)) == received.Task)
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            try
            {
                await subscriber.UnsubscribeAsync(channel, handler);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                // The probe channel is gone with the connection anyway.
            }
        }
    }

    private async Task<bool> TrySubscribeAsync(Subscription subscription)
    {
        try
        {
            var multiplexer = await GetAsync();
            var queue = await multiplexer.GetSubscriber().SubscribeAsync(RedisChannel.Literal(subscription.Channel));
            queue.OnMessage(subscription.Handler);
            subscription.Queue = queue;
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            _state = StateDegraded;
            _subscribeLive = false;
            RedisLog.SubscribeFailed(_logger, subscription.Channel, ex);
            return false;
        }
    }

    private static async Task UnsubscribeAsync(Subscription subscription)
    {
        if (subscription.Queue is not { } queue)
        {
            return;
        }

        subscription.Queue = null;
        try
        {
            await queue.UnsubscribeAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Down: the server forgot the subscription with the connection; nothing to undo.
        }
    }

    private Action<ChannelMessage> WrapHandler(string channel, Action<RedisValue> handler) => message =>
    {
        _metrics.BackplaneReceived();
        try
        {
            handler(message.Message);
        }
#pragma warning disable CA1031 // One bad message must not stop the channel.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RedisLog.HandlerFailed(_logger, channel, ex);
        }
    };

    private sealed class Subscription(string channel, Action<ChannelMessage> handler)
    {
        public string Channel { get; } = channel;

        public Action<ChannelMessage> Handler { get; } = handler;

        /// <summary>The live subscription; null until subscribed and after an unsubscribe.</summary>
        public ChannelMessageQueue? Queue { get; set; }

        public int Count { get; set; } = 1;
    }
}
