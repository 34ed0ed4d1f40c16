using System.Diagnostics;

namespace Hubs.Client;

public sealed partial class HubConnection
{
    // Serializes start, stop and each reconnect attempt, so state changes and the current session move together.
    private readonly SemaphoreSlim _lifecycleLock = new(1, 1);

    private volatile ConnectionSession? _session;
    private volatile Uri? _connectedUrl;
    private volatile HubConnectionState _state;
    private CancellationTokenSource? _stopSource;
    private bool _disposed;

    /// <summary>
    /// Raised when the connection was lost and automatic reconnect begins, with the reason (null when the server
    /// closed cleanly but allowed a reconnect). Invocations fail until <see cref="Reconnected"/>.
    /// </summary>
    public event Func<Exception?, Task>? Reconnecting;

    /// <summary>
    /// Raised when a reconnect succeeded. The argument is the connection id, which is always null here: the client
    /// skips the negotiate request that would return one. Server-side state such as group memberships or
    /// subscriptions is gone after a reconnect; re-establish it from this event.
    /// </summary>
    public event Func<string?, Task>? Reconnected;

    /// <summary>
    /// Raised when the connection closed for good: after <see cref="StopAsync"/> (null), when the server closed it
    /// without allowing a reconnect, or when the retry policy gave up (the last error).
    /// </summary>
    public event Func<Exception?, Task>? Closed;

    /// <summary>The URL of the current (or last) session: differs from <see cref="Url"/> when a <see cref="HubConnectionOptions.UrlProvider"/> picked another.</summary>
    public Uri ConnectedUrl => _connectedUrl ?? Url;

    /// <summary>The current state.</summary>
    public HubConnectionState State => _state;

    /// <summary>Connects and completes the protocol handshake.</summary>
    /// <exception cref="InvalidOperationException">The connection is not <see cref="HubConnectionState.Disconnected"/>, or the server rejected the handshake.</exception>
    /// <exception cref="TimeoutException">Connecting took longer than <see cref="HubConnectionOptions.HandshakeTimeout"/>.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycleLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_state != HubConnectionState.Disconnected)
            {
                throw new InvalidOperationException($"Cannot start the connection to {Url}: it is {_state}.");
            }

            _stopSource?.Dispose();
            _stopSource = new CancellationTokenSource();
            var stopToken = _stopSource.Token;
            _state = HubConnectionState.Connecting;
            var url = _services.NextUrl();
            HubClientLog.Connecting(_services.Logger, url);
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopToken);
                Attach(await ConnectionSession.ConnectAsync(_services, url, linked.Token).ConfigureAwait(false), stopToken);
            }
            catch
            {
                _state = HubConnectionState.Disconnected;
                throw;
            }

            HubClientLog.Connected(_services.Logger, url);
        }
        finally
        {
            _lifecycleLock.Release();
        }
    }

    /// <summary>
    /// Closes the connection cleanly and stops any reconnecting. Pending invocations and streams fail with an
    /// <see cref="IOException"/>; <see cref="Closed"/> is raised with null. Does nothing when already disconnected.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        // Before the lock: interrupts a StartAsync or a reconnect attempt that holds it.
        CancelStopSource();

        await _lifecycleLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_state == HubConnectionState.Disconnected)
            {
                return;
            }

            var session = _session;
            _session = null;
            if (session is not null)
            {
                await session.StopAsync(cancellationToken).ConfigureAwait(false);
            }

            _state = HubConnectionState.Disconnected;
            HubClientLog.Stopped(_services.Logger, Url);
        }
        finally
        {
            _lifecycleLock.Release();
        }

        await RaiseAsync(Closed, null, nameof(Closed)).ConfigureAwait(false);
    }

    /// <summary>Stops the connection (see <see cref="StopAsync"/>); queued callbacks still run, no new ones are accepted.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        _disposed = true;
        _services.Dispatcher.Complete();
    }

    /// <summary>Makes <paramref name="session"/> current and watches for its end. Called under the lifecycle lock.</summary>
    private void Attach(ConnectionSession session, CancellationToken stopToken)
    {
        _session = session;
        _connectedUrl = session.Url;
        _state = HubConnectionState.Connected;
        var ended = session.Start();
        _ = WatchAsync(session, ended, stopToken);
    }

    private async Task WatchAsync(ConnectionSession session, Task<SessionEnd> ended, CancellationToken stopToken)
    {
        var end = await ended.ConfigureAwait(false);
        if (session.StopRequested)
        {
            return;
        }

        bool reconnect;
        await _lifecycleLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(_session, session))
            {
                return;
            }

            _session = null;
            reconnect = end.AllowReconnect && _services.Options.RetryPolicy is not null && !stopToken.IsCancellationRequested;
            _state = reconnect ? HubConnectionState.Reconnecting : HubConnectionState.Disconnected;
            HubClientLog.ConnectionLost(_services.Logger, ConnectedUrl, end.Error);
        }
        finally
        {
            _lifecycleLock.Release();
        }

        if (!reconnect)
        {
            await RaiseAsync(Closed, end.Error, nameof(Closed)).ConfigureAwait(false);
            return;
        }

        await RaiseAsync(Reconnecting, end.Error, nameof(Reconnecting)).ConfigureAwait(false);
        await ReconnectAsync(end.Error, stopToken).ConfigureAwait(false);
    }

    private async Task ReconnectAsync(Exception? lostBecause, CancellationToken stopToken)
    {
        var policy = _services.Options.RetryPolicy!;
        var lostAt = Stopwatch.GetTimestamp();
        var reason = lostBecause;
        long failedAttempts = 0;

        while (policy.NextRetryDelay(new RetryContext(failedAttempts, Stopwatch.GetElapsedTime(lostAt), reason)) is { } delay)
        {
            HubClientLog.ReconnectScheduled(_services.Logger, failedAttempts + 1, Url, delay);
            try
            {
                await Task.Delay(delay, stopToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // StopAsync owns the transition to Disconnected and the Closed event.
            }

            var reconnected = false;
            await _lifecycleLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            try
            {
                if (_state != HubConnectionState.Reconnecting || stopToken.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    Attach(await ConnectionSession.ConnectAsync(_services, _services.NextUrl(), stopToken).ConfigureAwait(false), stopToken);
                    reconnected = true;
                }
#pragma warning disable CA1031 // Any failure of an attempt is a reason to retry; the policy decides when to stop.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    if (stopToken.IsCancellationRequested)
                    {
                        return;
                    }

                    failedAttempts++;
                    reason = ex;
                    HubClientLog.ReconnectAttemptFailed(_services.Logger, failedAttempts, Url, ex);
                }
            }
            finally
            {
                _lifecycleLock.Release();
            }

            if (reconnected)
            {
                HubClientLog.Reconnected(_services.Logger, ConnectedUrl);
                await RaiseAsync(Reconnected, null, nameof(Reconnected)).ConfigureAwait(false);
                return;
            }
        }

        await _lifecycleLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_state != HubConnectionState.Reconnecting)
            {
                return;
            }

            _state = HubConnectionState.Disconnected;
            HubClientLog.ReconnectGaveUp(_services.Logger, Url, failedAttempts);
        }
        finally
        {
            _lifecycleLock.Release();
        }

        await RaiseAsync(Closed, reason, nameof(Closed)).ConfigureAwait(false);
    }

    private void CancelStopSource()
    {
        try
        {
            Volatile.Read(ref _stopSource)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // A concurrent StartAsync replaced it; that start is not ours to stop.
        }
    }

    private async Task RaiseAsync<T>(Func<T, Task>? handlers, T argument, string eventName)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Func<T, Task>>())
        {
            try
            {
                await handler(argument).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One failing subscriber must not keep the others (or the reconnect loop) from running.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                HubClientLog.EventHandlerFailed(_services.Logger, eventName, ex);
            }
        }
    }
}
