using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Hubs.Tests.Infrastructure;
using Hubs.Tests.Security;

namespace Hubs.Tests.Legacy;

public sealed class UserChannelProtocolTests
{
    internal static Task<HubsServer> StartProductionAsync(params string[] settings)
        => HubsServer.StartAsync(["environment=Production", TestTokens.KeySetting, .. settings]);

    internal static Uri UserUri(HubsServer server, string pathUser, string? tokenUser)
        => server.WebSocketUri($"/api/ws/{pathUser}" + (tokenUser is null ? string.Empty : "?token=" + TestTokens.Create(tokenUser)));

    [Fact]
    public async Task UserChannel_EveryMessage_ReachesExactlyTheDocumentedSockets()
    {
        await using var server = await StartProductionAsync();
        await using var alice1 = await ConnectAsync(server, "alice");
        await using var alice2 = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");

        await alice1.SendAsync(new { type = "chat", message = "hello", timestamp = "2025-11-25T11:30:00Z" });
        foreach (var socket in new[] { alice1, alice2, bob })
        {
            var chat = await socket.NextAsync();
            chat.GetProperty("type").GetString().Should().Be("chat");
            chat.GetProperty("user_id").GetString().Should().Be("alice");
            chat.GetProperty("message").GetString().Should().Be("hello");
            chat.GetProperty("timestamp").GetString().Should().Be("2025-11-25T11:30:00Z");
        }

        await alice1.SendAsync(new { type = "study_update", data = new { lesson = 3, score = 0.5 } });
        foreach (var socket in new[] { alice1, alice2 })
        {
            var study = await socket.NextAsync();
            study.GetProperty("type").GetString().Should().Be("study_update");
            study.GetProperty("data").GetProperty("lesson").GetInt32().Should().Be(3);
        }

        await alice2.SendAsync(new { type = "game_state", state = new { level = 7 } });
        var game = await bob.NextAsync();
        game.GetProperty("type").GetString().Should().Be("game_state");
        game.GetProperty("user_id").GetString().Should().Be("alice");
        game.GetProperty("state").GetProperty("level").GetInt32().Should().Be(7);

        // Each socket's next frame is its own pong: bob got no study_update, alice's sockets no game_state.
        foreach (var (socket, stamp) in new[] { (alice1, "t-1"), (alice2, "t-2"), (bob, "t-3") })
        {
            await socket.SendAsync(new { type = "ping", timestamp = stamp });
            var pong = await socket.NextAsync();
            pong.GetProperty("type").GetString().Should().Be("pong");
            pong.GetProperty("timestamp").GetString().Should().Be(stamp);
        }

        using var publish = new HttpRequestMessage(HttpMethod.Post, "/api/users/alice/messages")
        {
            Content = JsonContent.Create(new { data = new { text = "your report is ready" } }),
        };
        publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Publisher());
        (await server.Http.SendAsync(publish)).EnsureSuccessStatusCode();
        foreach (var socket in new[] { alice1, alice2 })
        {
            var notification = await socket.NextAsync();
            notification.GetProperty("type").GetString().Should().Be("notification");
            notification.GetProperty("data").GetProperty("text").GetString().Should().Be("your report is ready");
        }

        await bob.CloseAsync();
        foreach (var socket in new[] { alice1, alice2 })
        {
            var gone = await socket.NextAsync();
            gone.GetProperty("type").GetString().Should().Be("user_disconnected");
            gone.GetProperty("user_id").GetString().Should().Be("bob");
        }
    }

    [Fact]
    public async Task UserChannel_OneOfTwoSocketsCloses_NoUserDisconnected()
    {
        await using var server = await StartProductionAsync();
        await using var alice1 = await ConnectAsync(server, "alice");
        await using var bob1 = await ConnectAsync(server, "bob");
        await using (var bob2 = await ConnectAsync(server, "bob"))
        {
            await bob2.CloseAsync();
        }

        await alice1.SendAsync(new { type = "ping", timestamp = 1 });
        var next = await alice1.NextAsync();
        next.GetProperty("type").GetString().Should().Be("pong", "bob still has a socket");
        next.GetProperty("timestamp").GetInt32().Should().Be(1, "the timestamp is echoed as sent");
    }

    [Theory]
    [InlineData("alice", "bob")]
    [InlineData("alice", null)]
    [InlineData("alice", "expired")]
    public async Task UserChannel_TokenNotForThePathUser_ClosedWith1008AfterTheUpgrade(string pathUser, string? tokenUser)
    {
        await using var server = await StartProductionAsync();
        var uri = tokenUser == "expired"
            ? server.WebSocketUri($"/api/ws/{pathUser}?token=" + TestTokens.Expired(pathUser))
            : UserUri(server, pathUser, tokenUser);
        await using var socket = await LegacySocket.ConnectAsync(uri);

        (await socket.ReadToCloseAsync()).Should().BeEmpty();
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
    }

    [Fact]
    public async Task UserChannel_DevelopmentWithoutToken_StillClosedWith1008()
    {
        await using var server = await HubsServer.StartAsync();
        await using var socket = await LegacySocket.ConnectAsync(server.WebSocketUri("/api/ws/alice"));

        (await socket.ReadToCloseAsync()).Should().BeEmpty();
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
        socket.CloseDescription.Should().Be("Token required");
    }

    [Fact]
    public async Task UserChannel_TokenAsAccessTokenOrHeader_Accepted()
    {
        await using var server = await StartProductionAsync();
        await using var query = await LegacySocket.ConnectAsync(server.WebSocketUri("/api/ws/alice?access_token=" + TestTokens.Create("alice")));
        await using var header = await LegacySocket.ConnectAsync(server.WebSocketUri("/api/ws/alice"), bearer: TestTokens.Create("alice"));

        (await query.NextAsync()).GetProperty("type").GetString().Should().Be("connection");
        (await header.NextAsync()).GetProperty("type").GetString().Should().Be("connection");
    }

    [Fact]
    public async Task UserChannel_MalformedFrames_ErrorForEachAndTheSocketStaysUsable()
    {
        await using var server = await StartProductionAsync();
        await using var socket = await ConnectAsync(server, "alice");

        var cases = new (string Frame, string Message)[]
        {
            ("{oops", "the frame is not valid JSON"),
            ("42", "a frame must be a JSON object"),
            ("{\"message\":\"no type\"}", "Message type is required"),
            ("{\"type\":\"dance\"}", "Unknown message type: dance"),
            ("{\"type\":\"chat\"}", "message is required (1 to 4000 characters)"),
            ("{\"type\":\"chat\",\"message\":7}", "message must be a string"),
            ("{\"type\":\"study_update\"}", "data is required"),
        };
        foreach (var (frame, message) in cases)
        {
            await socket.SendTextAsync(frame);
            var error = await socket.NextAsync();
            error.GetProperty("type").GetString().Should().Be("error");
            error.GetProperty("message").GetString().Should().Be(message, "the answer to {0}", frame);
            error.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(["type", "message"]);
        }

        await socket.SendBinaryAsync([1, 2, 3]);
        (await socket.NextAsync()).GetProperty("type").GetString().Should().Be("error");

        await socket.SendAsync(new { type = "chat", message = "still here" });
        (await socket.NextAsync()).GetProperty("message").GetString().Should().Be("still here");
    }

    [Fact]
    public async Task UserChannel_OverTheRateLimit_RateLimitExceededAndTheMessageIsDropped()
    {
        await using var server = await StartProductionAsync("Limits:MessagesPerMinutePerUser=3");
        await using var socket = await ConnectAsync(server, "alice");

        for (var i = 0; i < 3; i++)
        {
            await socket.SendAsync(new { type = "chat", message = "m" + i });
            (await socket.NextAsync()).GetProperty("message").GetString().Should().Be("m" + i);
        }

        await socket.SendAsync(new { type = "chat", message = "one too many" });
        var error = await socket.NextAsync();
        error.GetProperty("type").GetString().Should().Be("error");
        error.GetProperty("message").GetString().Should().Be("Rate limit exceeded");

        await socket.SendAsync(new { type = "ping", timestamp = "after" });
        (await socket.NextAsync()).GetProperty("type").GetString().Should().Be("pong", "the dropped chat was not delivered and the socket is up");
    }

    [Fact]
    public async Task Health_CountsLegacyUsersAndSockets()
    {
        await using var server = await StartProductionAsync();
        await using var alice1 = await ConnectAsync(server, "alice");
        await using var alice2 = await ConnectAsync(server, "alice");
        await using var bob = await ConnectAsync(server, "bob");

        var health = await server.Http.GetFromJsonAsync<JsonElement>("/api/ws/health");

        health.GetProperty("status").GetString().Should().Be("healthy");
        health.GetProperty("active_connections").GetInt32().Should().Be(2);
        health.GetProperty("total_sockets").GetInt32().Should().Be(3);
    }

    private static async Task<LegacySocket> ConnectAsync(HubsServer server, string user)
    {
        var socket = await LegacySocket.ConnectAsync(UserUri(server, user, user));
        var connection = await socket.NextAsync();
        connection.GetProperty("type").GetString().Should().Be("connection");
        connection.GetProperty("message").GetString().Should().Be("Connected successfully");
        connection.GetProperty("user_id").GetString().Should().Be(user);
        return socket;
    }
}
