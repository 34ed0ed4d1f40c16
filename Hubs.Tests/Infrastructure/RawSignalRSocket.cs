using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Hubs.Tests.Infrastructure;

/// <summary>
/// A SignalR JSON-protocol connection at the frame level, for tests that need to misbehave on purpose
/// (stop reading, send garbage). Well-behaved tests use Hubs.Client.
/// </summary>
public sealed class RawSignalRSocket : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _buffer = new();

    public WebSocketState State => _socket.State;

    public static async Task<RawSignalRSocket> ConnectAsync(Uri hubUri, CancellationToken cancellationToken = default)
    {
        var raw = new RawSignalRSocket();
        await raw._socket.ConnectAsync(hubUri, cancellationToken);
        await raw.SendRawAsync("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator, cancellationToken);
        var handshake = await raw.ReceiveAsync(cancellationToken);
        if (handshake is null || handshake.RootElement.TryGetProperty("error", out _))
        {
            throw new InvalidOperationException("Handshake failed: " + handshake?.RootElement);
        }

        return raw;
    }

    public Task InvokeAsync(string invocationId, string target, params object?[] arguments)
        => SendRawAsync(JsonSerializer.Serialize(new { type = 1, invocationId, target, arguments }) + RecordSeparator, CancellationToken.None);

    public async Task SendRawAsync(string text, CancellationToken cancellationToken)
        => await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    /// <summary>The next hub message (pings skipped), or null when the socket closed.</summary>
    public async Task<JsonDocument?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var text = _buffer.ToString();
            var end = text.IndexOf(RecordSeparator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _buffer.Remove(0, end + 1);
                var message = JsonDocument.Parse(text[..end]);
                if (message.RootElement.TryGetProperty("type", out var type) && type.GetInt32() == 6)
                {
                    continue;
                }

                return message;
            }

            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(chunk, cancellationToken);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            _buffer.Append(Encoding.UTF8.GetString(chunk, 0, result.Count));
        }
    }

    /// <summary>Reads until the completion of <paramref name="invocationId"/>; returns it.</summary>
    public async Task<JsonElement> WaitForCompletionAsync(string invocationId, CancellationToken cancellationToken = default)
    {
        while (await ReceiveAsync(cancellationToken) is { } message)
        {
            var root = message.RootElement;
            if (root.GetProperty("type").GetInt32() == 3 && root.GetProperty("invocationId").GetString() == invocationId)
            {
                return root.Clone();
            }
        }

        throw new InvalidOperationException($"The socket closed before invocation {invocationId} completed.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }
}
