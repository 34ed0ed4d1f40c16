using System.Text.Json;
using Hubs.Server.Security;
using Hubs.Tests.Infrastructure;
using Hubs.Tests.Security;

namespace Hubs.Tests.Scaleout;

/// <summary>A SignalR JSON client (raw frames) for the scale-out tests: invokes, and waits for messages by predicate, keeping the others.</summary>
internal sealed class ScaleoutClient : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly RawSignalRSocket _socket;
    private readonly List<JsonElement> _unread = [];
    private int _nextId;

    private ScaleoutClient(RawSignalRSocket socket, string user)
    {
        _socket = socket;
        User = user;
    }

    public string User { get; }

    public string ConnectionId { get; private set; } = string.Empty;

    public static async Task<ScaleoutClient> ConnectAsync(HubsServer server, string user, string path = ScaleoutTestHub.Path)
    {
        var token = TestTokens.Create(user, projects: ["*"], key: JwtSigning.DevelopmentSigningKey);
        var socket = await RawSignalRSocket.ConnectAsync(server.WebSocketUri(path + "?access_token=" + token));
        var client = new ScaleoutClient(socket, user);
        if (path == ScaleoutTestHub.Path)
        {
            client.ConnectionId = (await client.InvokeAsync("WhoAmI")).GetString()!;
        }

        return client;
    }

    /// <summary>Invokes and returns the result; throws with the server's error text on failure.</summary>
    public async Task<JsonElement> InvokeAsync(string target, params object?[] args)
    {
        var completion = await InvokeForCompletionAsync(target, args);
        if (completion.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException(error.GetString());
        }

        return completion.TryGetProperty("result", out var result) ? result : default;
    }

    public async Task<JsonElement> InvokeForCompletionAsync(string target, params object?[] args)
    {
        var id = "c" + Interlocked.Increment(ref _nextId);
        await _socket.InvokeAsync(id, target, args);
        return await NextAsync(m => m.GetProperty("type").GetInt32() == 3 && m.GetProperty("invocationId").GetString() == id);
    }

    /// <summary>The next "Message" text.</summary>
    public async Task<string> NextMessageAsync()
        => (await NextInvocationAsync("Message")).GetProperty("arguments")[0].GetString()!;

    public Task<JsonElement> NextInvocationAsync(string target)
        => NextAsync(m => m.GetProperty("type").GetInt32() == 1 && m.GetProperty("target").GetString() == target);

    /// <summary>Answers the server's next client-result invocation of <paramref name="target"/>.</summary>
    public async Task AnswerAsync(string target, Func<string, string> answer)
    {
        var invocation = await NextInvocationAsync(target);
        var reply = JsonSerializer.Serialize(new
        {
            type = 3,
            invocationId = invocation.GetProperty("invocationId").GetString(),
            result = answer(invocation.GetProperty("arguments")[0].GetString()!),
        });
        await _socket.SendRawAsync(reply + "\u001e", CancellationToken.None);
    }

    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match)
    {
        var index = _unread.FindIndex(m => match(m));
        if (index >= 0)
        {
            var found = _unread[index];
            _unread.RemoveAt(index);
            return found;
        }

        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            using var document = await _socket.ReceiveAsync(timeout.Token) ?? throw new IOException("The connection closed.");
            var message = document.RootElement.Clone();
            if (match(message))
            {
                return message;
            }

            _unread.Add(message);
        }
    }

    public ValueTask DisposeAsync() => _socket.DisposeAsync();
}
