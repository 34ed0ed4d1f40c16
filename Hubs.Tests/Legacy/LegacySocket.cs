using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Hubs.Tests.Legacy;

/// <summary>
/// A raw legacy client: a real <see cref="ClientWebSocket"/> that sends JSON text frames and reads frames back,
/// checking that every frame is exactly one JSON object.
/// </summary>
public sealed class LegacySocket : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    private readonly ClientWebSocket _socket;

    private LegacySocket(ClientWebSocket socket) => _socket = socket;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public WebSocketState State => _socket.State;

    public static async Task<LegacySocket> ConnectAsync(Uri uri, string? origin = null, string? bearer = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        if (bearer is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        }

        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(uri, timeout.Token);
        return new LegacySocket(socket);
    }

    /// <summary>The HTTP status of a refused upgrade.</summary>
    public static async Task<HttpStatusCode> RefusedStatusAsync(Uri uri, string? origin = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        using var timeout = new CancellationTokenSource(DefaultTimeout);
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }

        throw new InvalidOperationException($"The upgrade to {uri} was accepted.");
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    public async Task SendBinaryAsync(byte[] data)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
    }

    /// <summary>The next frame, which must be one JSON object; null when the server closed the socket.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? timeout = null)
    {
        var text = await ReceiveTextAsync(timeout);
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        document.RootElement.ValueKind.Should().Be(JsonValueKind.Object, "every legacy frame is one JSON object: {0}", text);
        return document.RootElement.Clone();
    }

    /// <summary>The next frame, which must be there.</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null)
        => await ReceiveAsync(timeout) ?? throw new InvalidOperationException($"The server closed the socket ({CloseStatus} {CloseDescription}).");

    /// <summary>The next frame of <paramref name="type"/>, skipping others.</summary>
    public async Task<JsonElement> NextOfTypeAsync(string type)
    {
        while (true)
        {
            var frame = await NextAsync();
            if (frame.TryGetProperty("type", out var t) && t.GetString() == type)
            {
                return frame;
            }
        }
    }

    /// <summary>Reads until the server closes; returns the frames read before the close.</summary>
    public async Task<List<JsonElement>> ReadToCloseAsync(TimeSpan? timeout = null)
    {
        var frames = new List<JsonElement>();
        while (await ReceiveAsync(timeout) is { } frame)
        {
            frames.Add(frame);
        }

        return frames;
    }

    public async Task<string?> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
                }

                return null;
            }

            result.MessageType.Should().Be(WebSocketMessageType.Text);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The server went away first.
            }
        }

        _socket.Dispose();
    }
}
