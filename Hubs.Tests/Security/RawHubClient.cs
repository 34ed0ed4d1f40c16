using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Hubs.Tests.Security;

/// <summary>
/// The SignalR JSON protocol over a plain ClientWebSocket (skip-negotiation style), enough to see what a client sees:
/// the upgrade status, the handshake, completions and close messages.
/// </summary>
internal sealed class RawHubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket;
    private readonly StringBuilder _pending = new();
    private int _nextId;

    private RawHubClient(ClientWebSocket socket) => _socket = socket;

    public WebSocketState State => _socket.State;

    /// <summary>Server-to-client invocations (type 1) that arrived while waiting for a completion.</summary>
    public List<JsonElement> Invocations { get; } = [];

    /// <summary>Upgrades; returns the HTTP status (101 on success) and the client when it succeeded.</summary>
    public static async Task<(HttpStatusCode Status, RawHubClient? Client)> TryConnectAsync(Uri uri, string? bearer = null, string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (bearer is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await socket.ConnectAsync(uri, cts.Token);
            return (socket.HttpStatusCode, new RawHubClient(socket));
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (status, null);
        }
    }

    /// <summary>Connects and completes the JSON handshake; fails the test otherwise.</summary>
    public static async Task<RawHubClient> ConnectAsync(Uri uri, string? bearer = null, string? origin = null)
    {
        var (status, client) = await TryConnectAsync(uri, bearer, origin);
        status.Should().Be(HttpStatusCode.SwitchingProtocols);
        await client!.HandshakeAsync();
        return client;
    }

    public async Task HandshakeAsync()
    {
        await SendAsync("""{"protocol":"json","version":1}""");
        var response = await ReadMessageAsync();
        response.Should().NotBeNull("the server answers the handshake");
        response!.Value.TryGetProperty("error", out var error).Should().BeFalse(error.ToString());
    }

    /// <summary>Invokes a hub method and returns its completion (<c>result</c> or <c>error</c>).</summary>
    public async Task<(JsonElement? Result, string? Error)> InvokeAsync(string target, params object?[] arguments)
    {
        var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }));
        while (true)
        {
            var message = await ReadMessageAsync() ?? throw new InvalidOperationException("The connection closed before the completion of " + target);
            var type = message.GetProperty("type").GetInt32();
            if (type == 7)
            {
                throw new InvalidOperationException("The server closed the connection: " + message);
            }

            if (type == 1)
            {
                Invocations.Add(message);
            }

            if (type == 3 && message.GetProperty("invocationId").GetString() == id)
            {
                return (message.TryGetProperty("result", out var result) ? result : null,
                    message.TryGetProperty("error", out var error) ? error.GetString() : null);
            }
        }
    }

    /// <summary>The next server-to-client invocation of <paramref name="target"/> (already received or still to come).</summary>
    public async Task<JsonElement> ReadInvocationAsync(string target)
    {
        while (true)
        {
            var index = Invocations.FindIndex(m => m.GetProperty("target").GetString() == target);
            if (index >= 0)
            {
                var found = Invocations[index];
                Invocations.RemoveAt(index);
                return found;
            }

            var message = await ReadMessageAsync() ?? throw new InvalidOperationException("The connection closed before " + target + " arrived");
            if (message.GetProperty("type").GetInt32() == 1)
            {
                Invocations.Add(message);
            }
        }
    }

    /// <summary>Reads until the server's close message (returned) or the end of the socket (null).</summary>
    public async Task<JsonElement?> ReadUntilCloseAsync()
    {
        while (await ReadMessageAsync() is { } message)
        {
            if (message.GetProperty("type").GetInt32() == 7)
            {
                return message;
            }
        }

        return null;
    }

    /// <summary>The next protocol message (pings included), or null when the socket closed.</summary>
    public async Task<JsonElement?> ReadMessageAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var text = _pending.ToString();
            var separator = text.IndexOf(RecordSeparator, StringComparison.Ordinal);
            if (separator >= 0)
            {
                _pending.Remove(0, separator + 1);
                using var document = JsonDocument.Parse(text[..separator]);
                return document.RootElement.Clone();
            }

            if (_socket.State != WebSocketState.Open)
            {
                return null;
            }

            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, cts.Token);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            _pending.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
    }

    public async Task SendAsync(string json)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The server may already be gone; nothing to clean up then.
            }
        }

        _socket.Dispose();
    }
}
