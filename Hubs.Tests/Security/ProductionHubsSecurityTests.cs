using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hubs.Contracts;
using Hubs.Server.Security;

namespace Hubs.Tests.Security;

/// <summary>The real hubs and publish API in Production: the auth matrix and the claim checks inside the hubs.</summary>
public sealed class ProductionHubsSecurityTests : IAsyncLifetime
{
    private SecurityTestServer _server = null!;

    public static TheoryData<string> ConnectionPaths() =>
    [
        HubRoutes.Generation, HubRoutes.Projects, HubRoutes.Incidents, HubRoutes.Study,
        "/ws/stream-generation", "/ws/projects", "/ws", "/api/ws/alice",
    ];

    public static TheoryData<string, string> PublishRequests() => new()
    {
        { "/api/projects/p1/updates", """{"data":{"progress":1}}""" },
        { "/api/incidents/events", """{"event_type":"incident_created","incident":{"id":"i1","severity":"P1"}}""" },
        { "/api/users/alice/messages", """{"type":"notification","data":{"text":"hi"}}""" },
    };

    public async Task InitializeAsync() => _server = await SecurityTestServer.StartProductionAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Uri Hub(string path, string? token) => _server.WebSocketUri(path, token is null ? null : "access_token=" + token);

    [Theory]
    [MemberData(nameof(ConnectionPaths))]
    public async Task Connect_EveryHubAndLegacyEndpoint_OnlyAValidTokenUpgrades(string path)
    {
        var cases = new (string Why, string? Token, HttpStatusCode Expected)[]
        {
            ("no token", null, HttpStatusCode.Unauthorized),
            ("bad signature", TestTokens.WrongSignature(), HttpStatusCode.Unauthorized),
            ("wrong audience", TestTokens.Create("alice", audience: "other-api"), HttpStatusCode.Unauthorized),
            ("expired", TestTokens.Expired(), HttpStatusCode.Unauthorized),
            ("valid", TestTokens.Create("alice"), HttpStatusCode.SwitchingProtocols),
        };

        foreach (var (why, token, expected) in cases)
        {
            if (path.StartsWith("/api/ws/", StringComparison.Ordinal))
            {
                // LEGACY.md section 2: the per-user channel upgrades, then closes a refused socket with 1008 before any message.
                await using var socket = await Legacy.LegacySocket.ConnectAsync(Hub(path, token));
                if (expected == HttpStatusCode.SwitchingProtocols)
                {
                    (await socket.NextAsync()).GetProperty("type").GetString().Should().Be("connection", $"{path} with {why} is greeted");
                    socket.State.Should().Be(System.Net.WebSockets.WebSocketState.Open, $"{path} with {why} stays open");
                }
                else
                {
                    (await socket.ReadToCloseAsync()).Should().BeEmpty($"{path} with {why}");
                    socket.CloseStatus.Should().Be(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, $"{path} with {why}");
                }

                continue;
            }

            var (status, client) = await RawHubClient.TryConnectAsync(Hub(path, token));
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            status.Should().Be(expected, $"{path} with {why}");
        }
    }

    [Fact]
    public async Task Connect_TokenInQuery_NeverWrittenToTheLogs()
    {
        var token = TestTokens.Create("alice");
        var (status, client) = await RawHubClient.TryConnectAsync(Hub(HubRoutes.Projects, token));
        await client!.DisposeAsync();

        status.Should().Be(HttpStatusCode.SwitchingProtocols);
        _server.Logs.Entries.Should().NotBeEmpty("the server logs at Information in this test");
        _server.Logs.Entries.Should().NotContain(e => e.Message.Contains(token, StringComparison.Ordinal), "a JWT in the query string must not reach the logs");
    }

    [Theory]
    [MemberData(nameof(PublishRequests))]
    public async Task Publish_EveryEndpoint_401WithoutToken403WithoutPublisherScope202WithIt(string path, string body)
    {
        async Task<HttpStatusCode> PostAsync(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await _server.Http.SendAsync(request);
            return response.StatusCode;
        }

        (await PostAsync(null)).Should().Be(HttpStatusCode.Unauthorized);
        (await PostAsync(TestTokens.Expired("backend"))).Should().Be(HttpStatusCode.Unauthorized);
        (await PostAsync(TestTokens.Create("alice", projects: ["*"], roles: ["incidents"]))).Should().Be(HttpStatusCode.Forbidden);
        (await PostAsync(TestTokens.Publisher())).Should().Be(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task PublishProjectUpdate_BodyOverPublishMaxBodyBytes_413()
    {
        await using var server = await SecurityTestServer.StartProductionAsync("Limits:PublishMaxBodyBytes=2048");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/projects/p1/updates")
        {
            Content = new StringContent($$$"""{"data":{"text":"{{{new string('x', 4000)}}}"}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Publisher());

        using var response = await server.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task ProjectsSubscribe_ProjectNotInClaim_UnauthorizedAndConnectionStaysUp()
    {
        await using var client = await RawHubClient.ConnectAsync(Hub(HubRoutes.Projects, TestTokens.Create("alice", projects: ["p1"])));

        var denied = await client.InvokeAsync("Subscribe", "p2", null);
        var allowed = await client.InvokeAsync("Subscribe", "p1", null);

        HubLimitsTests.HubError(denied.Error).Should().Be((HubErrorCodes.Unauthorized, "no access to project 'p2'"));
        allowed.Error.Should().BeNull();
        allowed.Result!.Value.GetProperty("project_id").GetString().Should().Be("p1");
    }

    [Fact]
    public async Task ProjectsForward_ProjectNotInClaim_Unauthorized()
    {
        await using var client = await RawHubClient.ConnectAsync(Hub(HubRoutes.Projects, TestTokens.Create("alice", projects: ["p1"])));

        var denied = await client.InvokeAsync("Forward", new { type = "dev", message_id = "m1", project_id = "p2", data = new { } });

        HubLimitsTests.HubError(denied.Error).Code.Should().Be(HubErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task ProjectsSubscribe_OverMaxSubscriptionsPerConnection_LimitExceededButResubscribeAllowed()
    {
        await using var server = await SecurityTestServer.StartProductionAsync("Limits:MaxSubscriptionsPerConnection=2");
        await using var client = await RawHubClient.ConnectAsync(server.WebSocketUri(HubRoutes.Projects, "access_token=" + TestTokens.Create("alice", projects: ["*"])));

        (await client.InvokeAsync("Subscribe", "p1", null)).Error.Should().BeNull();
        (await client.InvokeAsync("Subscribe", "p2", null)).Error.Should().BeNull();
        var third = await client.InvokeAsync("Subscribe", "p3", null);
        var again = await client.InvokeAsync("Subscribe", "p2", null);

        HubLimitsTests.HubError(third.Error).Code.Should().Be(HubErrorCodes.LimitExceeded);
        again.Error.Should().BeNull("subscribing again to a held project adds nothing");
    }

    [Fact]
    public async Task IncidentsSubscribe_WithoutIncidentsGrant_UnauthorizedWithIt_Subscribed()
    {
        await using var plain = await RawHubClient.ConnectAsync(Hub(HubRoutes.Incidents, TestTokens.Create("alice")));
        await using var granted = await RawHubClient.ConnectAsync(Hub(HubRoutes.Incidents, TestTokens.Create("oncall", roles: ["incidents"])));

        var denied = await plain.InvokeAsync("Subscribe", "s1", new { }, null);
        var allowed = await granted.InvokeAsync("Subscribe", "s1", new { }, null);

        HubLimitsTests.HubError(denied.Error).Code.Should().Be(HubErrorCodes.Unauthorized);
        allowed.Error.Should().BeNull();
        (await plain.InvokeAsync("Unsubscribe", "s1")).Error.Should().Contain("NOT_FOUND", "the denied connection is still up and answering");
    }

    [Fact]
    public async Task Study_UserIsTheTokenSubject_NotAQueryParameter()
    {
        var token = TestTokens.Create("alice");
        await using var client = await RawHubClient.ConnectAsync(_server.WebSocketUri(HubRoutes.Study, $"access_token={token}&user_id=mallory"));

        var chat = await client.InvokeAsync("SendChat", "hello", null);
        var echoed = await client.ReadInvocationAsync("Chat");

        chat.Error.Should().BeNull();
        echoed.GetProperty("arguments")[0].GetProperty("user_id").GetString().Should().Be("alice");
    }

    [Fact]
    public async Task AuthFailures_AreCountedByReason()
    {
        var before = (_server.Counters.AuthFailures(AuthFailureReasons.MissingToken), _server.Counters.AuthFailures(AuthFailureReasons.ExpiredToken));

        await RawHubClient.TryConnectAsync(Hub(HubRoutes.Projects, null));
        await RawHubClient.TryConnectAsync(Hub(HubRoutes.Projects, TestTokens.Expired()));

        _server.Counters.AuthFailures(AuthFailureReasons.MissingToken).Should().Be(before.Item1 + 1);
        _server.Counters.AuthFailures(AuthFailureReasons.ExpiredToken).Should().Be(before.Item2 + 1);
    }
}
