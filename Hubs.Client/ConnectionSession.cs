using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hubs.Client;

/// <summary>
/// One physical connection: a WebSocket past the handshake, its receive loop, its keep-alive/server-timeout
/// timer and the calls waiting on it. A reconnect creates a new session; nothing of the old one is reused, so a
/// late answer can never complete a call made on another socket.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The semaphore and token source never allocate a wait handle or timer here; disposing them while a late send or cancel races the end of the session would turn a clean IOException into ObjectDisposedException.")]
internal sealed class ConnectionSession
{
    // How long a clean stop waits for the server to acknowledge the close before cutting the socket.
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseReplyTimeout = TimeSpan.FromSeconds(1);

    private readonly ClientWebSocket _socket;
    private readonly ReceiveBuffer _buffer;
    private readonly ConnectionServices _services;
    private readonly Uri _url;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _aborted = new();
    private readonly Dictionary<string, PendingCall> _pending = new(StringComparer.Ordinal);
    private readonly Lock _pendingLock = new();

    private bool _ended;
    private long _nextInvocationId;
    private long _lastReceived;
    private long _lastSent;
    private TimeoutException? _serverTimeout;
    private volatile bool _stopRequested;
    private Task<SessionEnd>? _run;

    private ConnectionSession(ClientWebSocket socket, ReceiveBuffer buffer, ConnectionServices services, Uri url)
    {
        _url = url;
        _socket = socket;
        _buffer = buffer;
        _services = services;
    }

    /// <summary>The URL this session connected to.</summary>
    public Uri Url => _url;

    /// <summary>True once <see cref="StopAsync"/> was called: the end is then a clean stop, not a loss.</summary>
    public bool StopRequested => _stopRequested;

    /// <summary>Opens the WebSocket and completes the JSON protocol handshake, within the handshake timeout.</summary>
    public static async Task<ConnectionSession> ConnectAsync(ConnectionServices services, Uri url, CancellationToken cancellationToken)
    {
        var options = services.Options;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HandshakeTimeout);

        var socket = new ClientWebSocket();
        try
        {
            var token = options.AccessTokenProvider is null
                ? null
                : await options.AccessTokenProvider(timeout.Token).ConfigureAwait(false);
            foreach (var header in options.Headers)
            {
                socket.Options.SetRequestHeader(header.Key, header.Value);
            }

            if (!string.IsNullOrEmpty(token))
            {
                socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            }

            options.ConfigureWebSocket?.Invoke(socket.Options);

            var uri = WebSocketUri(url, token);
            if (options.HttpMessageInvoker is { } invoker)
            {
                await socket.ConnectAsync(uri, invoker, timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(uri, timeout.Token).ConfigureAwait(false);
            }

            var buffer = new ReceiveBuffer();
            await HandshakeAsync(socket, buffer, services.Protocol, timeout.Token).ConfigureAwait(false);
            return new ConnectionSession(socket, buffer, services, url);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException(
                $"Connecting to {url} did not complete within the handshake timeout of {options.HandshakeTimeout}.", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Starts the receive loop and the keep-alive timer; the task completes when the session has ended and its calls have failed.</summary>
    public Task<SessionEnd> Start()
    {
        var now = Stopwatch.GetTimestamp();
        Volatile.Write(ref _lastReceived, now);
        Volatile.Write(ref _lastSent, now);
        _ = Task.Run(HeartbeatAsync);
        _run = Task.Run(RunAsync);
        return _run;
    }

    public async Task<JsonElement?> InvokeAsync(string methodName, object?[] arguments, CancellationToken cancellationToken)
    {
        var pending = new PendingInvocation();
        var invocationId = Register(pending);

        // A cancelled invoke only stops waiting: SignalR has no way to cancel a non-streaming server method.
        using var registration = cancellationToken.Register(() =>
        {
            if (TryRemove(invocationId, out _))
            {
                pending.Cancel(cancellationToken);
            }
        });

        try
        {
            await SendAsync(new InvocationMessage(invocationId, methodName, arguments), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            TryRemove(invocationId, out _);
            throw;
        }

        return await pending.Result.ConfigureAwait(false);
    }

    public Task SendInvocationAsync(string methodName, object?[] arguments, CancellationToken cancellationToken) =>
        SendAsync(new InvocationMessage(methodName, arguments), cancellationToken);

    public async Task<PendingStream> StartStreamAsync(string methodName, object?[] arguments, CancellationToken cancellationToken)
    {
        var invocationId = NextInvocationId();
        var stream = new PendingStream(invocationId);
        Register(invocationId, stream);
        try
        {
            await SendAsync(new StreamInvocationMessage(invocationId, methodName, arguments), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            TryRemove(invocationId, out _);
            throw;
        }

        return stream;
    }

    /// <summary>The consumer stopped reading: tells the server, unless the stream had already completed.</summary>
    public Task CancelStreamAsync(PendingStream stream) =>
        TryRemove(stream.InvocationId, out _)
            ? SendBestEffortAsync(new CancelInvocationMessage(stream.InvocationId))
            : Task.CompletedTask;

    /// <summary>Closes the WebSocket cleanly (bounded by <see cref="CloseTimeout"/> and the token) and waits for the end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopRequested = true;
        try
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }

            await _run!.WaitAsync(CloseTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or WebSocketException or ObjectDisposedException)
        {
            Abort();
        }

        await _run!.ConfigureAwait(false);
    }

    private async Task<SessionEnd> RunAsync()
    {
        SessionEnd end;
        try
        {
            end = await ReceiveLoopAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever broke the loop is the reason the session ended; it is reported, not thrown.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            end = new SessionEnd(Volatile.Read(ref _serverTimeout) ?? ex, AllowReconnect: true);
        }

        if (_stopRequested)
        {
            end = new SessionEnd(null, AllowReconnect: false);
        }

        await CloseSocketAsync().ConfigureAwait(false);
        _aborted.Cancel();
        FailPending(end.Error);
        return end;
    }

    private async Task<SessionEnd> ReceiveLoopAsync()
    {
        var protocol = _services.Protocol;
        while (true)
        {
            var unparsed = _buffer.Unparsed;
            while (protocol.TryParseMessage(ref unparsed, _services.Binder, out var message))
            {
                if (message is CloseMessage close)
                {
                    _buffer.Consumed(unparsed);
                    HubClientLog.ServerClosed(_services.Logger, close.Error, close.AllowReconnect);
                    var error = close.Error is null ? null : new IOException($"The server closed the connection with an error: {close.Error}");
                    return new SessionEnd(error, close.AllowReconnect);
                }

                Dispatch(message);
            }

            _buffer.Consumed(unparsed);

            var result = await _socket.ReceiveAsync(_buffer.GetFreeSpace(), _aborted.Token).ConfigureAwait(false);
            Volatile.Write(ref _lastReceived, Stopwatch.GetTimestamp());
            if (result.MessageType == WebSocketMessageType.Close)
            {
                var error = _stopRequested
                    ? null
                    : new IOException($"The server closed the WebSocket ({_socket.CloseStatus}: {_socket.CloseStatusDescription}).");
                return new SessionEnd(error, AllowReconnect: true);
            }

            _buffer.Advance(result.Count);
        }
    }

    private void Dispatch(HubMessage message)
    {
        switch (message)
        {
            case InvocationMessage invocation:
                OnInvocation(invocation);
                break;
            case StreamItemMessage item:
                if (TryGet(item.InvocationId!, out var call) && call is PendingStream stream)
                {
                    stream.Write(item.Item);
                }

                break;
            case CompletionMessage completion:
                if (TryRemove(completion.InvocationId!, out var completed))
                {
                    completed.Complete(completion);
                }

                break;
            case PingMessage:
                break;
            case InvocationBindingFailureMessage failure:
                if (_services.Callbacks.TryGet(failure.Target, out _))
                {
                    HubClientLog.CallbackBindingFailed(_services.Logger, failure.Target, failure.BindingFailure.SourceException);
                }
                else
                {
                    HubClientLog.NoHandler(_services.Logger, failure.Target);
                }

                if (failure.InvocationId is not null)
                {
                    _ = SendBestEffortAsync(CompletionMessage.WithError(failure.InvocationId, $"Client failed to bind the arguments of '{failure.Target}'."));
                }

                break;
            case StreamBindingFailureMessage failure:
                if (TryRemove(failure.Id, out var failed))
                {
                    HubClientLog.StreamBindingFailed(_services.Logger, failure.Id, failure.BindingFailure.SourceException);
                    failed.Fail(new InvalidDataException($"An item of stream {failure.Id} could not be read.", failure.BindingFailure.SourceException));
                    _ = SendBestEffortAsync(new CancelInvocationMessage(failure.Id));
                }

                break;
            default:
                HubClientLog.IgnoredMessage(_services.Logger, message.GetType().Name);
                break;
        }
    }

    private void OnInvocation(InvocationMessage invocation)
    {
        if (_services.Callbacks.TryGet(invocation.Target, out var registered))
        {
            _services.Dispatcher.Enqueue(invocation.Target, registered.Callbacks, invocation.Arguments);
        }

        if (invocation.InvocationId is not null)
        {
            // The Hubs contracts declare no client results; answer so the server does not wait for one forever.
            HubClientLog.ClientResultNotSupported(_services.Logger, invocation.Target);
            _ = SendBestEffortAsync(CompletionMessage.WithError(invocation.InvocationId, "Client results are not supported by Hubs.Client."));
        }
    }

    private async Task HeartbeatAsync()
    {
        var options = _services.Options;
        var shortest = options.KeepAliveInterval < options.ServerTimeout ? options.KeepAliveInterval : options.ServerTimeout;
        var tick = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        using var timer = new PeriodicTimer(tick);
        try
        {
            while (await timer.WaitForNextTickAsync(_aborted.Token).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                if (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastReceived), now) >= options.ServerTimeout)
                {
                    HubClientLog.ServerTimeout(_services.Logger, _url, options.ServerTimeout);
                    Volatile.Write(ref _serverTimeout, new TimeoutException(
                        $"No message from the server within the server timeout of {options.ServerTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s."));
                    Abort();
                    return;
                }

                if (Stopwatch.GetElapsedTime(Volatile.Read(ref _lastSent), now) >= options.KeepAliveInterval)
                {
                    await SendBestEffortAsync(PingMessage.Instance).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended.
        }
    }

    private async Task SendAsync(HubMessage message, CancellationToken cancellationToken)
    {
        // Serialize before taking the lock: a bad argument fails this call only, and the lock is held for I/O alone.
        var bytes = _services.Protocol.GetMessageBytes(message);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_aborted.IsCancellationRequested || _stopRequested)
            {
                throw ConnectionGone(null);
            }

            // The session's token, not the caller's: cancelling a send half-way would abort the whole socket.
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _aborted.Token).ConfigureAwait(false);
            Volatile.Write(ref _lastSent, Stopwatch.GetTimestamp());
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException && _aborted.IsCancellationRequested)
        {
            throw ConnectionGone(ex);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task SendBestEffortAsync(HubMessage message)
    {
        try
        {
            await SendAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Pings, cancels and error replies are best-effort; a dead socket is reported by the receive loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            HubClientLog.BestEffortSendFailed(_services.Logger, message.GetType().Name, ex);
        }
    }

    private async Task CloseSocketAsync()
    {
        try
        {
            // Answer (or start) the close handshake so the server frees the connection at once.
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived
                && await _sendLock.WaitAsync(CloseReplyTimeout).ConfigureAwait(false))
            {
                try
                {
                    using var timeout = new CancellationTokenSource(CloseReplyTimeout);
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket is going away either way.
        }
        finally
        {
            _socket.Abort();
            _socket.Dispose();
        }
    }

    private void Abort()
    {
        _aborted.Cancel();
        _socket.Abort();
    }

    private string NextInvocationId() => Interlocked.Increment(ref _nextInvocationId).ToString(CultureInfo.InvariantCulture);

    private string Register(PendingCall call)
    {
        var invocationId = NextInvocationId();
        Register(invocationId, call);
        return invocationId;
    }

    private void Register(string invocationId, PendingCall call)
    {
        lock (_pendingLock)
        {
            if (_ended)
            {
                throw ConnectionGone(null);
            }

            _pending.Add(invocationId, call);
        }
    }

    private bool TryGet(string invocationId, out PendingCall call)
    {
        lock (_pendingLock)
        {
            return _pending.TryGetValue(invocationId, out call!);
        }
    }

    private bool TryRemove(string invocationId, out PendingCall call)
    {
        lock (_pendingLock)
        {
            return _pending.Remove(invocationId, out call!);
        }
    }

    private void FailPending(Exception? reason)
    {
        PendingCall[] calls;
        lock (_pendingLock)
        {
            _ended = true;
            calls = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var call in calls)
        {
            call.Fail(ConnectionGone(reason));
        }
    }

    private IOException ConnectionGone(Exception? reason) => _stopRequested
        ? new IOException($"The connection to {_url} was stopped before the call completed.", reason)
        : new IOException($"The connection to {_url} was lost before the call completed" + (reason is null ? "." : $": {reason.Message}"), reason);

    private static async Task HandshakeAsync(ClientWebSocket socket, ReceiveBuffer buffer, JsonHubProtocol protocol, CancellationToken cancellationToken)
    {
        var request = new ArrayBufferWriter<byte>();
        HandshakeProtocol.WriteRequestMessage(new HandshakeRequestMessage(protocol.Name, protocol.Version), request);
        await socket.SendAsync(request.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);

        while (true)
        {
            var unparsed = buffer.Unparsed;
            if (HandshakeProtocol.TryParseResponseMessage(ref unparsed, out var response))
            {
                // Whatever follows the handshake reply is already hub messages: the receive loop parses it first.
                buffer.Consumed(unparsed);
                if (response.Error is not null)
                {
                    throw new InvalidOperationException($"The server rejected the handshake: {response.Error}");
                }

                return;
            }

            var result = await socket.ReceiveAsync(buffer.GetFreeSpace(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new IOException($"The server closed the WebSocket during the handshake ({socket.CloseStatus}: {socket.CloseStatusDescription}).");
            }

            buffer.Advance(result.Count);
        }
    }

    private static Uri WebSocketUri(Uri url, string? accessToken)
    {
        var builder = new UriBuilder(url)
        {
            Scheme = url.Scheme switch
            {
                "http" => "ws",
                "https" => "wss",
                _ => url.Scheme,
            },
        };

        if (!string.IsNullOrEmpty(accessToken))
        {
            var query = builder.Query.TrimStart('?');
            builder.Query = (query.Length == 0 ? string.Empty : query + "&") + "access_token=" + Uri.EscapeDataString(accessToken);
        }

        return builder.Uri;
    }
}
