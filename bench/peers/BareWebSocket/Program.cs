using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

// Floor peer: the least a server on ASP.NET Core's Kestrel can do for the fan-out's wire traffic. It speaks just
// enough of the SignalR JSON hub protocol for the bench's light client and Hubs.Client (handshake, a Subscribe
// invocation answered with a completion, ProjectUpdated invocations, a ping every 15 s), with no SignalR: Kestrel's
// WebSockets, a map of groups, each update framed once (the request body, unparsed) and written to every member's
// socket. Not a product (no auth, no validation, no ordering across publishers, no slow-consumer limit): it bounds
// what any Kestrel-based server could reach on the same machine (docs/performance.md, "Floor").
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });

var groups = new ConcurrentDictionary<string, Group>(StringComparer.Ordinal);
var members = new ConcurrentDictionary<Member, byte>();
var handshakeReply = "{}\u001e"u8.ToArray();
var ping = "{\"type\":6}\u001e"u8.ToArray();

app.Map("/hubs/projects", async (HttpContext context) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var member = new Member(socket);
    try
    {
        await ReceiveAsync(member, context.RequestAborted);
    }
    catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
    {
        // The client went away.
    }
    finally
    {
        members.TryRemove(member, out _);
        foreach (var name in member.Groups)
        {
            if (groups.TryGetValue(name, out var group))
            {
                group.Remove(member);
            }
        }
    }
});

app.MapPost("/api/projects/{projectId}/updates", async (string projectId, HttpRequest request, CancellationToken cancellationToken) =>
{
    var body = new MemoryStream();
    body.Write("{\"type\":1,\"target\":\"ProjectUpdated\",\"arguments\":["u8);
    await request.Body.CopyToAsync(body, cancellationToken);
    body.Write("]}\u001e"u8);
    var frame = new ReadOnlyMemory<byte>(body.GetBuffer(), 0, (int)body.Length);
    if (groups.TryGetValue(projectId, out var group))
    {
        foreach (var member in group.Members)
        {
            member.Send(frame);
        }
    }

    return Results.Accepted();
});
app.MapGet("/health", () => "ok");

_ = Task.Run(async () =>
{
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15));
    while (await timer.WaitForNextTickAsync())
    {
        foreach (var member in members.Keys)
        {
            member.Send(ping);
        }
    }
});

app.Run();

// Records are separated by 0x1E; the first one is the handshake. A zero-byte read first, so an idle connection holds
// no buffer (as SignalR's WebSocket transport does).
async Task ReceiveAsync(Member member, CancellationToken cancellationToken)
{
    var message = new ArrayBufferWriter<byte>(256);
    var handshaken = false;
    while (true)
    {
        await member.Socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        var result = await member.Socket.ReceiveAsync(message.GetMemory(512), cancellationToken);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            return;
        }

        message.Advance(result.Count);
        if (!result.EndOfMessage)
        {
            continue;
        }

        var rest = message.WrittenMemory;
        int end;
        while ((end = rest.Span.IndexOf((byte)0x1e)) >= 0)
        {
            var record = rest[..end];
            rest = rest[(end + 1)..];
            if (!handshaken)
            {
                handshaken = true;
                member.Send(handshakeReply);

                // Pinged from now on: a ping before the handshake reply would be a protocol error to the client.
                members.TryAdd(member, 0);
            }
            else
            {
                OnRecord(member, record.Span);
            }
        }

        message = new ArrayBufferWriter<byte>(256);
    }
}

void OnRecord(Member member, ReadOnlySpan<byte> record)
{
    using var document = JsonDocument.Parse(record.ToArray());
    var root = document.RootElement;
    if (root.GetProperty("type").GetInt32() != 1 || root.GetProperty("target").GetString() != "Subscribe")
    {
        return;
    }

    var name = root.GetProperty("arguments")[0].GetString()!;
    groups.GetOrAdd(name, static _ => new Group()).Add(member);
    member.Groups.Add(name);
    if (root.TryGetProperty("invocationId", out var id))
    {
        member.Send(Encoding.UTF8.GetBytes($"{{\"type\":3,\"invocationId\":{id.GetRawText()},\"result\":null}}\u001e"));
    }
}

/// <summary>Members as a copy-on-write array: the fan-out reads it without a lock.</summary>
internal sealed class Group
{
    private readonly Lock _lock = new();

    public Member[] Members { get; private set; } = [];

    public void Add(Member member)
    {
        lock (_lock)
        {
            Members = [.. Members, member];
        }
    }

    public void Remove(Member member)
    {
        lock (_lock)
        {
            Members = Array.FindAll(Members, m => m != member);
        }
    }
}

/// <summary>One socket; a frame is written at once when nothing is in flight, else queued behind it.</summary>
internal sealed class Member(WebSocket socket)
{
    private readonly Lock _lock = new();
    private Queue<ReadOnlyMemory<byte>>? _queue;
    private bool _sending;

    public WebSocket Socket { get; } = socket;

    public List<string> Groups { get; } = [];

    public void Send(ReadOnlyMemory<byte> frame)
    {
        lock (_lock)
        {
            if (_sending)
            {
                (_queue ??= new()).Enqueue(frame);
                return;
            }

            _sending = true;
        }

        _ = SendAsync(frame);
    }

    private async Task SendAsync(ReadOnlyMemory<byte> frame)
    {
        try
        {
            while (true)
            {
                await Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                lock (_lock)
                {
                    if (_queue is null || !_queue.TryDequeue(out frame))
                    {
                        _sending = false;
                        return;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Closed while sending: nothing more goes to this member.
        }
    }
}
