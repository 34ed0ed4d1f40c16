using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text.Json;
using Hubs.Contracts;
using Hubs.Server.Delivery;
using Hubs.Server.Observability;
using Hubs.Server.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hubs.Server.Legacy;

/// <summary>
/// One legacy WebSocket run as a hub connection. The hub's <c>HubConnectionHandler</c> reads and writes an in-memory
/// pipe pair; this class is the transport between those pipes and the socket:
/// <list type="bullet">
/// <item>it writes the SignalR handshake for the endpoint's protocol and drops the hub's handshake reply, sending the
/// protocol's connect message in its place;</item>
/// <item>client → hub: each complete WebSocket message plus a record separator (0x1e); binary frames get the
/// protocol's error; a frame of <c>Limits:MaxMessageBytes</c> or more (the limit counts the separator, as for SignalR
/// clients) closes the socket with 1009;</item>
/// <item>hub → client: each 0x1e-terminated record is sent as exactly one text frame, so message boundaries hold
/// however fast messages come;</item>
/// <item>endings: the first reason wins (<see cref="LegacyCloseReason"/>); the hub is told the client left (its
/// <c>OnDisconnectedAsync</c> runs, a running generation is cancelled), what it already wrote is sent, then the
/// protocol's goodbye, then the close frame with the reason's status.</item>
/// </list>
/// </summary>
internal sealed class LegacySession : IDisposable
{
    private const int ReceiveBufferBytes = 4096;

    private readonly HttpContext _context;
    private readonly WebSocket _socket;
    private readonly LegacyHubProtocol _protocol;
    private readonly ConnectionHandler _handler;
    private readonly LegacyOptions _options;
    private readonly int _maxFrameBytes;
    private readonly DateTimeOffset? _expiresUtc;
    private readonly HubsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _connectionId = Guid.NewGuid().ToString();
    private readonly TaskCompletionSource<LegacyCloseReason> _stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Pipe _input = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Pipe _output = new(new PipeOptions(useSynchronizationContext: false));
    private readonly SemaphoreSlim _inputLock = new(1, 1);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TimeSpan _closeTimeout;
    private long _lastReceived;
    private volatile bool _inputClosed;
    private volatile bool _discardOutput;

    public LegacySession(
        HttpContext context,
        WebSocket socket,
        LegacyHubProtocol protocol,
        ConnectionHandler handler,
        LegacyOptions options,
        int maxMessageBytes,
        DateTimeOffset? expiresUtc,
        HubsMetrics metrics,
        TimeProvider time,
        ILogger logger)
    {
        _context = context;
        _socket = socket;
        _protocol = protocol;
        _handler = handler;
        _options = options;
        _maxFrameBytes = maxMessageBytes - 1;
        _expiresUtc = expiresUtc;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _closeTimeout = TimeSpan.FromSeconds(options.CloseTimeoutSeconds);
        _lastReceived = time.GetTimestamp();
    }

    /// <summary>Ends the session for <paramref name="reason"/> unless it is already ending for another one.</summary>
    public void Stop(LegacyCloseReason reason) => _stop.TrySetResult(reason);

    public async Task RunAsync()
    {
        var feature = new LegacyConnectionFeature(_protocol.Name);
        var transport = new DuplexPipe(_input.Reader, _output.Writer);
        await using var connection = new LegacyConnectionContext(_connectionId, _context, transport, feature, () => Stop(LegacyCloseReason.HubClosed));
        using var ended = new CancellationTokenSource();

        HandshakeProtocol.WriteRequestMessage(new HandshakeRequestMessage(_protocol.Name, LegacyHubProtocol.BridgeVersion), _input.Writer);
        foreach (var frame in _protocol.InitialClientFrames(_context))
        {
            WriteRecord(_input.Writer, System.Text.Encoding.UTF8.GetBytes(frame));
        }

        await _input.Writer.FlushAsync();
        LegacyLog.Opened(_logger, _connectionId, _context.Request.Path, _protocol.Name);

        var hub = RunHubAsync(connection);
        var sending = SendLoopAsync();
        var receiving = ReceiveLoopAsync();
        var watching = WatchAsync(ended.Token);

        var reason = await _stop.Task;
        await ended.CancelAsync();
        if (reason is LegacyCloseReason.SlowConsumer)
        {
            // What is still queued would only delay the goodbye to a client that is not reading.
            _discardOutput = true;
        }

        await CloseInputAsync();
        await WithinAsync(hub, _closeTimeout);
        await _output.Writer.CompleteAsync();
        if (reason is LegacyCloseReason.SocketFailed || !await WithinAsync(sending, _closeTimeout))
        {
            _socket.Abort();
        }

        var status = await SendGoodbyeAndCloseAsync(reason);
        if (!await WithinAsync(receiving, _closeTimeout))
        {
            LegacyLog.CloseTimedOut(_logger, _connectionId, _closeTimeout);
            _socket.Abort();
            await receiving;
        }

        await sending;
        await watching;
        connection.MarkClosed();
        LegacyLog.Closed(_logger, _connectionId, reason, status);
    }

    private async Task RunHubAsync(ConnectionContext connection)
    {
        try
        {
            await _handler.OnConnectedAsync(connection);
        }
#pragma warning disable CA1031 // Whatever ended the hub side, the socket must still be closed properly.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LegacyLog.HubFailed(_logger, _connectionId, ex);
        }
        finally
        {
            Stop(connection.Features.Get<SlowConsumerFeature>() is null ? LegacyCloseReason.HubClosed : LegacyCloseReason.SlowConsumer);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);
        var discarding = false;
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        buffer = Grow(buffer, count, discarding ? buffer.Length : Math.Min(buffer.Length * 2, _maxFrameBytes + 1));
                        if (discarding)
                        {
                            count = 0;
                        }
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        Stop(LegacyCloseReason.ClientClosed);
                        return;
                    }

                    count += result.Count;
                    if (count > _maxFrameBytes && !discarding)
                    {
                        _metrics.MessageError(MessageErrorTypes.MessageTooLarge);
                        LegacyLog.MessageTooBig(_logger, _connectionId, _maxFrameBytes + 1);
                        Stop(LegacyCloseReason.MessageTooBig);
                        discarding = true;
                        count = 0;
                    }
                }
                while (!result.EndOfMessage);

                Volatile.Write(ref _lastReceived, _time.GetTimestamp());
                if (discarding || _inputClosed)
                {
                    // The session is ending: frames that arrive until the client's close frame are read and dropped.
                    discarding = true;
                    continue;
                }

                var frame = buffer.AsMemory(0, count);
                if (result.MessageType == WebSocketMessageType.Binary || frame.Span.Contains(LegacyHubProtocol.RecordSeparator))
                {
                    _metrics.MessageError(MessageErrorTypes.ParseError);
                    var text = result.MessageType == WebSocketMessageType.Binary ? "binary frames are not supported; send one JSON object per text frame" : "the frame is not valid JSON";
                    await SendAsync(_protocol.ErrorFrame(HubErrorCodes.InvalidMessage, text), CancellationToken.None);
                }
                else
                {
                    await ForwardAsync(frame);
                }

                if (buffer.Length > ReceiveBufferBytes * 4)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Stop(LegacyCloseReason.SocketFailed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, int used, int size)
    {
        if (size <= buffer.Length)
        {
            return buffer;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    private async ValueTask ForwardAsync(ReadOnlyMemory<byte> frame)
    {
        await _inputLock.WaitAsync();
        try
        {
            if (_inputClosed)
            {
                return;
            }

            WriteRecord(_input.Writer, frame.Span);
            await _input.Writer.FlushAsync();
        }
        finally
        {
            _inputLock.Release();
        }
    }

    private async Task CloseInputAsync()
    {
        _inputClosed = true;

        // A flush waiting for the hub to read must not hold the lock while the hub is being told to finish.
        _input.Writer.CancelPendingFlush();
        await _inputLock.WaitAsync();
        try
        {
            await _input.Writer.CompleteAsync();
        }
        finally
        {
            _inputLock.Release();
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        var handshaken = false;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                try
                {
                    while (TryReadRecord(ref buffer, out var record))
                    {
                        if (_discardOutput)
                        {
                            continue;
                        }

                        if (!handshaken)
                        {
                            handshaken = true;
                            if (IsHandshakeAccepted(record))
                            {
                                await SendAsync(_protocol.ConnectedFrame(_connectionId, _context), CancellationToken.None);
                            }

                            continue;
                        }

                        await SendAsync(record.IsSingleSegment ? record.First : record.ToArray(), CancellationToken.None);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            LegacyLog.SendFailed(_logger, _connectionId, ex);
            _metrics.MessageError(MessageErrorTypes.SendError);
            Stop(LegacyCloseReason.SocketFailed);
        }
        finally
        {
            // The hub's writes complete (and are dropped) from now on instead of waiting for a reader.
            await reader.CompleteAsync();
        }
    }

    private bool IsHandshakeAccepted(ReadOnlySequence<byte> response)
    {
        var reader = new Utf8JsonReader(response);
        using var document = JsonDocument.ParseValue(ref reader);
        if (!document.RootElement.TryGetProperty("error", out var error))
        {
            return true;
        }

        LegacyLog.HandshakeFailed(_logger, _connectionId, error.ToString());
        return false;
    }

    private async Task WatchAsync(CancellationToken ended)
    {
        TimeSpan? idleLimit = _protocol.HasIdleRule && _options.SessionTimeoutSeconds > 0 ? TimeSpan.FromSeconds(_options.SessionTimeoutSeconds) : null;
        if (idleLimit is null && _expiresUtc is null)
        {
            return;
        }

        try
        {
            while (true)
            {
                var wait = TimeSpan.FromHours(1);
                if (_expiresUtc is { } expires)
                {
                    var left = expires - _time.GetUtcNow();
                    if (left <= TimeSpan.Zero)
                    {
                        Stop(LegacyCloseReason.TokenExpired);
                        return;
                    }

                    wait = left < wait ? left : wait;
                }

                if (idleLimit is { } limit)
                {
                    var quiet = _time.GetElapsedTime(Volatile.Read(ref _lastReceived));
                    if (quiet >= limit)
                    {
                        LegacyLog.SessionTimedOut(_logger, _connectionId, limit);
                        _metrics.HeartbeatTimeout();
                        Stop(LegacyCloseReason.SessionTimeout);
                        return;
                    }

                    wait = limit - quiet < wait ? limit - quiet : wait;
                }

                await Task.Delay(wait, _time, ended);
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended first.
        }
    }

    private async Task<WebSocketCloseStatus?> SendGoodbyeAndCloseAsync(LegacyCloseReason reason)
    {
        if (reason is LegacyCloseReason.SocketFailed || _socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return null;
        }

        var (status, description) = reason switch
        {
            LegacyCloseReason.MessageTooBig => (WebSocketCloseStatus.MessageTooBig, "Message too big"),
            LegacyCloseReason.ServerShutdown => (WebSocketCloseStatus.EndpointUnavailable, "Server is shutting down"),
            LegacyCloseReason.SessionTimeout => (WebSocketCloseStatus.NormalClosure, "session_timeout"),
            LegacyCloseReason.SlowConsumer => (WebSocketCloseStatus.PolicyViolation, "slow_consumer"),
            LegacyCloseReason.TokenExpired => (WebSocketCloseStatus.PolicyViolation, "Token expired"),
            LegacyCloseReason.HubClosed => (WebSocketCloseStatus.PolicyViolation, "Closed by the server"),
            _ => (WebSocketCloseStatus.NormalClosure, string.Empty),
        };

        using var timeout = new CancellationTokenSource(_closeTimeout);
        try
        {
            if (_socket.State == WebSocketState.Open && _protocol.GoodbyeFrame(reason) is { } goodbye)
            {
                await SendAsync(goodbye, timeout.Token);
            }

            await _socket.CloseOutputAsync(status, description, timeout.Token);
            return status;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
            return null;
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static void WriteRecord(PipeWriter writer, ReadOnlySpan<byte> frame)
    {
        writer.Write(frame);
        writer.GetSpan(1)[0] = LegacyHubProtocol.RecordSeparator;
        writer.Advance(1);
    }

    private static bool TryReadRecord(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> record)
    {
        var end = buffer.PositionOf(LegacyHubProtocol.RecordSeparator);
        if (end is null)
        {
            record = default;
            return false;
        }

        record = buffer.Slice(0, end.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
        return true;
    }

    private static async Task<bool> WithinAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _inputLock.Dispose();
        _sendLock.Dispose();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
