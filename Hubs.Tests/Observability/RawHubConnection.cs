using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Hubs.Tests.Observability;

/// <summary>
/// A minimal SignalR JSON-protocol client over a raw WebSocket (no negotiate): handshake, invocations,
/// completions. Enough to drive the hubs the way a real client does, without the SignalR client package.
/// </summary>
public sealed class RawHubConnection : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _pending = new();
    private int _nextInvocationId;

    public static async Task<RawHubConnection> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var connection = new RawHubConnection();
        await connection._socket.ConnectAsync(uri, cancellationToken);
        await connection.SendAsync("""{"protocol":"json","version":1}""", cancellationToken);
        var handshake = await connection.ReceiveMessageAsync(cancellationToken);
        handshake.TryGetProperty("error", out var error).Should().BeFalse($"the handshake should succeed, got {error}");
        return connection;
    }

    /// <summary>Invokes a hub method and returns its completion message (with <c>result</c> or <c>error</c>).</summary>
    public async Task<JsonElement> InvokeAsync(string target, object?[] arguments, CancellationToken cancellationToken)
    {
        var id = (++_nextInvocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }), cancellationToken);
        while (true)
        {
            var message = await ReceiveMessageAsync(cancellationToken);
            if (message.GetProperty("type").GetInt32() == 3 && message.GetProperty("invocationId").GetString() == id)
            {
                return message;
            }
        }
    }

    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_socket.State == WebSocketState.Open)
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await CloseAsync(timeout.Token);
        }
        catch (WebSocketException)
        {
        }

        _socket.Dispose();
    }

    private Task SendAsync(string json, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>The next message that is not a ping.</summary>
    private async Task<JsonElement> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var text = _pending.ToString();
            var separator = text.IndexOf(RecordSeparator);
            if (separator >= 0)
            {
                _pending.Remove(0, separator + 1);
                var message = JsonDocument.Parse(text[..separator]).RootElement.Clone();
                if (message.TryGetProperty("type", out var type) && type.GetInt32() == 6)
                {
                    continue;
                }

                return message;
            }

            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The server closed the connection: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            _pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
    }
}
