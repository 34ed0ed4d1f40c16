using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Hubs.Client;
using Hubs.Contracts.Generation;
using Hubs.Contracts.Incidents;
using Hubs.Tests.Infrastructure;
using Hubs.Tests.Legacy;

namespace Hubs.Tests.Security;

/// <summary>
/// Thousands of generated malformed frames, calls and publish requests (seeded, so a failure replays exactly) at
/// every hub and the publish API, while a well-behaved client listens. The server must answer every bad call with
/// an error, never a 5xx, and keep serving that client without losing any of its messages.
/// </summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private const int Seed = 20261205;
    private const char RecordSeparator = '\u001e';
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string[] HubPaths = ["/hubs/generation", "/hubs/projects", "/hubs/incidents", "/hubs/study"];

    private HubsServer _server = null!;

    private int _users;

    public async Task InitializeAsync() => _server = await HubsServer.StartAsync(TestTokens.KeySetting);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task MalformedFramesAndCalls_EveryHub_VictimLosesNothingAndServerStillServes()
    {
        await using var victim = new HubsClient(_server.BaseUri);
        var updates = new ConcurrentQueue<string>();
        var incidents = new ConcurrentQueue<string>();
        victim.Projects.OnProjectUpdated(u => updates.Enqueue(u.MessageId!));
        victim.Incidents.OnIncidentEvent(e => incidents.Enqueue(e.MessageId));
        await victim.Projects.StartAsync().WaitAsync(Patience);
        await victim.Incidents.StartAsync().WaitAsync(Patience);
        await victim.Projects.Subscribe("victim", since: null).WaitAsync(Patience);
        await victim.Incidents.Subscribe("mine", new IncidentFilter { Severities = ["P1"] }, since: null).WaitAsync(Patience);

        var random = new Random(Seed);
        var published = new List<string>();
        var publishedIncidents = new List<string>();
        var frames = 0;
        for (var round = 0; round < 40; round++)
        {
            var path = HubPaths[round % HubPaths.Length];
            frames += await SendGarbageFramesAsync(path, random, count: 50);
            frames += await SendGarbageCallsAsync(path, random, count: 25);
            published.Add(await _server.PublishProjectUpdateAsync("victim", new { round }));
            publishedIncidents.Add(await _server.PublishIncidentAsync(IncidentEventTypes.IncidentCreated, new Incident { Id = $"inc-{round}", Severity = "P1" }));
        }

        frames.Should().BeGreaterThan(2500, "the suite is meant to send thousands of bad frames (seed {0})", Seed);
        await WaitUntilAsync(() => updates.Count >= published.Count && incidents.Count >= publishedIncidents.Count);
        updates.Should().Equal(published, "no project update meant for the victim may be lost or reordered (seed {0})", Seed);
        incidents.Should().Equal(publishedIncidents, "no incident event meant for the victim may be lost or reordered (seed {0})", Seed);

        await using var fresh = new HubsClient(_server.BaseUri);
        await fresh.Generation.StartAsync().WaitAsync(Patience);
        using var timeout = new CancellationTokenSource(Patience);
        var last = default(GenerationUpdate);
        await foreach (var update in fresh.Generation.Generate(new GenerationRequest("after the storm", "alice"), timeout.Token))
        {
            last = update;
        }

        last!.Type.Should().Be(GenerationUpdateType.Complete, "a new client is served normally after the flood");
        victim.Projects.State.Should().Be(HubConnectionState.Connected);
    }

    [Fact]
    public async Task MalformedCalls_EnvelopeValid_EachGetsAnErrorCompletionAndTheConnectionStays()
    {
        var random = new Random(Seed + 1);
        foreach (var path in HubPaths)
        {
            using var socket = await ConnectAsync(path);
            (await HandshakeAsync(socket, "{\"protocol\":\"json\",\"version\":1}")).Should().BeTrue();
            var ids = new List<string>();
            for (var i = 0; i < 60; i++)
            {
                var id = $"c{i}";
                ids.Add(id);
                await SendTextAsync(socket, BadInvocation(random, id) + RecordSeparator);
            }

            var completions = await ReadCompletionsAsync(socket, ids.Count);
            completions.Keys.Should().BeEquivalentTo(ids, "every bad call on {0} gets its own completion (seed {1})", path, Seed + 1);
            completions.Values.Should().OnlyContain(error => !string.IsNullOrWhiteSpace(error), "each bad call on {0} is answered with an error", path);
            socket.State.Should().Be(WebSocketState.Open, "bad arguments never cost the connection on {0}", path);
        }
    }

    [Theory]
    [InlineData("/ws/stream-generation", "connected")]
    [InlineData("/ws/projects", "connected")]
    [InlineData("/ws", "welcome")]
    [InlineData("/api/ws/mallory", "connection")]
    public async Task LegacyEndpoint_GeneratedBadFrames_OneErrorEachAndTheSocketStaysUsable(string path, string greeting)
    {
        var random = new Random(Seed + path.Length);
        await using var incidentsVictim = await LegacySocket.ConnectAsync(_server.WebSocketUri("/ws"));
        (await incidentsVictim.NextAsync()).GetProperty("type").GetString().Should().Be("welcome");
        await incidentsVictim.SendAsync(new { type = "subscribe", subscription_id = "all", filters = new { } });
        (await incidentsVictim.NextAsync()).GetProperty("type").GetString().Should().Be("subscribed");

        await using var socket = await LegacySocket.ConnectAsync(_server.WebSocketUri(path + "?token=" + TestTokens.Create("mallory")));
        (await socket.NextAsync()).GetProperty("type").GetString().Should().Be(greeting);

        // The per-user channel allows 100 client messages a minute; past that the error is "Rate limit exceeded", still one each.
        const int Frames = 150;
        var published = new List<string>();
        for (var i = 0; i < Frames; i++)
        {
            await SendLegacyGarbageAsync(socket, random);
            if (i % 30 == 0)
            {
                published.Add(await _server.PublishIncidentAsync(IncidentEventTypes.AlertReceived, new Incident { Id = $"legacy-{i}", Severity = "P3" }));
            }
        }

        var replies = new List<string?>();
        for (var i = 0; i < Frames; i++)
        {
            var reply = await socket.NextAsync();
            replies.Add(reply.GetProperty("type").GetString());
        }

        replies.Should().OnlyContain(type => type == "error", "each bad frame on {0} gets exactly one error (seed {1})", path, Seed + path.Length);
        socket.State.Should().Be(WebSocketState.Open, "bad frames never cost a legacy socket");
        var received = new List<string>();
        while (received.Count < published.Count)
        {
            var message = await incidentsVictim.NextAsync();
            received.Add(message.GetProperty("message_id").GetString()!);
        }

        received.Should().Equal(published, "a client on another socket loses nothing while {0} is flooded", path);
    }

    [Fact]
    public async Task PublishApi_GeneratedBadBodies_AlwaysAClientErrorNever5xx()
    {
        var random = new Random(Seed + 2);
        string[] paths = ["/api/projects/p1/updates", "/api/incidents/events", "/api/users/u1/messages"];
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 300; i++)
        {
            using var content = new ByteArrayContent(GarbageBody(random));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await _server.Http.PostAsync(paths[i % paths.Length], content);
            statuses.Add(response.StatusCode);
        }

        statuses.Should().OnlyContain(s => (int)s >= 400 && (int)s < 500, "bad bodies are the caller's error (seed {0})", Seed + 2);
        (await _server.Http.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>Protocol-level garbage: the server may close the socket (SignalR does on a broken frame), but only that one.</summary>
    private async Task<int> SendGarbageFramesAsync(string path, Random random, int count)
    {
        var sent = 0;
        while (sent < count)
        {
            using var socket = await ConnectAsync(path);
            var handshake = random.Next(4) == 0 ? GarbageText(random) : "{\"protocol\":\"json\",\"version\":1}";
            if (!await HandshakeAsync(socket, handshake))
            {
                sent++;
                continue;
            }

            for (var i = 0; i < 10 && sent < count && socket.State == WebSocketState.Open; i++, sent++)
            {
                try
                {
                    await SendFrameAsync(socket, random);
                }
                catch (Exception ex) when (ex is WebSocketException or InvalidOperationException)
                {
                    break;
                }
            }

            await CloseQuietlyAsync(socket);
        }

        return sent;
    }

    /// <summary>Well-formed envelopes with bad targets or arguments, which must not cost the connection.</summary>
    private async Task<int> SendGarbageCallsAsync(string path, Random random, int count)
    {
        using var socket = await ConnectAsync(path);
        (await HandshakeAsync(socket, "{\"protocol\":\"json\",\"version\":1}")).Should().BeTrue();
        var ids = Enumerable.Range(0, count).Select(i => $"g{i}").ToList();
        foreach (var id in ids)
        {
            await SendTextAsync(socket, BadInvocation(random, id) + RecordSeparator);
        }

        var completions = await ReadCompletionsAsync(socket, count);
        completions.Should().HaveCount(count, "every bad call on {0} is answered (seed {1})", path, Seed);
        await CloseQuietlyAsync(socket);
        return count;
    }

    private async Task SendFrameAsync(ClientWebSocket socket, Random random)
    {
        switch (random.Next(8))
        {
            case 0:
                await SendTextAsync(socket, GarbageText(random) + RecordSeparator);
                break;
            case 1:
                await socket.SendAsync(RandomBytes(random, 200), WebSocketMessageType.Binary, true, CancellationToken.None);
                break;
            case 2:
                // Invalid UTF-8 in a text frame.
                await socket.SendAsync(new byte[] { 0x7b, 0xc3, 0x28, 0xff, 0xfe, 0x7d, 0x1e }, WebSocketMessageType.Text, true, CancellationToken.None);
                break;
            case 3:
                var depth = random.Next(100, 5000);
                await SendTextAsync(socket, "{\"type\":1,\"target\":\"Subscribe\",\"arguments\":[" + new string('[', depth) + new string(']', depth) + "]}" + RecordSeparator);
                break;
            case 4:
                await SendTextAsync(socket, "{\"type\":1,\"target\":\"Subscribe\",\"arguments\":[\"" + new string('x', 70_000) + "\"]}" + RecordSeparator);
                break;
            case 5:
                await SendTextAsync(socket, $"{{\"type\":{random.Next(-5, 20)},\"target\":{random.Next()},\"arguments\":{{}}}}" + RecordSeparator);
                break;
            case 6:
                await SendTextAsync(socket, "{\"type\":1,\"target\":\"Subscribe\"" + RecordSeparator);
                break;
            default:
                await SendTextAsync(socket, string.Concat(Enumerable.Repeat(RecordSeparator, random.Next(1, 5))));
                break;
        }
    }

    /// <summary>A frame no legacy protocol accepts: never JSON with a known type/action, so the reply must be an error.</summary>
    private static async Task SendLegacyGarbageAsync(LegacySocket socket, Random random)
    {
        switch (random.Next(7))
        {
            case 0:
                await socket.SendTextAsync("{" + GarbageText(random));
                break;
            case 1:
                await socket.SendBinaryAsync(RandomBytes(random, random.Next(1, 300)));
                break;
            case 2:
                await socket.SendTextAsync(random.Next(3) switch { 0 => "[1,2,3]", 1 => "42", _ => "\"just a string\"" });
                break;
            case 3:
                var depth = random.Next(100, 2000);
                await socket.SendTextAsync("{\"type\":\"x\",\"action\":\"x\",\"a\":" + new string('[', depth) + new string(']', depth) + "}");
                break;
            case 4:
                await socket.SendTextAsync($"{{\"type\":\"zz-{random.Next()}\",\"action\":\"zz-{random.Next()}\"}}");
                break;
            case 5:
                await socket.SendTextAsync($"{{\"type\":{random.Next()},\"action\":[],\"prompt\":{{}},\"user_id\":7}}");
                break;
            default:
                await socket.SendTextAsync(string.Empty);
                break;
        }
    }

    private static string BadInvocation(Random random, string id)
    {
        var target = random.Next(6) switch
        {
            0 => "NoSuchMethod",
            1 => "Subscribe",
            2 => "Unsubscribe",
            3 => "Forward",
            4 => "SendChat",
            _ => "Ack",
        };
        var arguments = random.Next(7) switch
        {
            0 => "[]",
            1 => "[1,2,3,4,5,6]",
            2 => "[{\"event_types\":\"not-a-list\"},null,7]",
            3 => "[null,null,null]",
            4 => "[{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 50)) + "1" + new string('}', 51) + "]",
            5 => "[true,{\"severities\":[1,2]},\"x\"]",
            _ => "[\"" + new string('p', random.Next(1, 300)) + "\",{\"type\":\"nope\"}]",
        };
        return $"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"{target}\",\"arguments\":{arguments}}}";
    }

    private static string GarbageText(Random random)
    {
        const string alphabet = "{}[]\":,0123456789abcxyz\\ nulltruefalse\u00e9\u4e2d";
        var chars = new char[random.Next(1, 200)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    private static byte[] GarbageBody(Random random) => random.Next(5) switch
    {
        0 => RandomBytes(random, random.Next(1, 500)),
        1 => Encoding.UTF8.GetBytes(GarbageText(random)),
        2 => Encoding.UTF8.GetBytes("{\"data\":" + new string('[', 3000) + new string(']', 3000) + "}"),
        3 => Encoding.UTF8.GetBytes("{\"event_type\":" + random.Next() + ",\"incident\":\"x\",\"type\":[],\"data\":null}"),
        _ => [],
    };

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private async Task<ClientWebSocket> ConnectAsync(string path)
    {
        // The study hub needs a user; every hostile connection is a different one so per-user limits stay out of the way.
        var user = "mallory-" + Interlocked.Increment(ref _users);
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Patience);
        await socket.ConnectAsync(_server.WebSocketUri(path + "?access_token=" + TestTokens.Create(user, projects: ["*"], roles: ["incidents"])), timeout.Token);
        return socket;
    }

    /// <summary>Sends a handshake; true when the server accepted it.</summary>
    private static async Task<bool> HandshakeAsync(ClientWebSocket socket, string handshake)
    {
        await SendTextAsync(socket, handshake + RecordSeparator);
        var reply = await ReceiveRecordsAsync(socket, new StringBuilder());
        return reply is [var first, ..] && first == "{}";
    }

    private static async Task<Dictionary<string, string?>> ReadCompletionsAsync(ClientWebSocket socket, int expected)
    {
        var completions = new Dictionary<string, string?>();
        var buffer = new StringBuilder();
        while (completions.Count < expected && await ReceiveRecordsAsync(socket, buffer) is { } records)
        {
            foreach (var record in records)
            {
                using var message = JsonDocument.Parse(record);
                var root = message.RootElement;
                if (root.GetProperty("type").GetInt32() == 3)
                {
                    completions[root.GetProperty("invocationId").GetString()!] = root.TryGetProperty("error", out var error) ? error.GetString() : null;
                }
            }
        }

        return completions;
    }

    /// <summary>The complete records of the next frames, or null when the socket closed.</summary>
    private static async Task<List<string>?> ReceiveRecordsAsync(ClientWebSocket socket, StringBuilder buffer)
    {
        var chunk = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var text = buffer.ToString();
            var end = text.LastIndexOf(RecordSeparator);
            if (end >= 0)
            {
                buffer.Remove(0, end + 1);
                return [.. text[..end].Split(RecordSeparator)];
            }

            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(chunk, timeout.Token);
            }
            catch (WebSocketException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Append(Encoding.UTF8.GetString(chunk, 0, result.Count));
        }
    }

    private static Task SendTextAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
