using System.Net;
using System.Net.Http.Headers;
using Hubs.Server;
using Hubs.Server.Security;
using Microsoft.Extensions.Options;

namespace Hubs.Tests.Security;

/// <summary>The connection rule in Production, on a real Kestrel: 401 before the upgrade unless the token is valid.</summary>
public sealed class HubAuthenticationTests
{
    public static TheoryData<string, string> RejectedTokens() => new()
    {
        { "bad signature", TestTokens.WrongSignature() },
        { "wrong audience", TestTokens.Create("alice", audience: "someone-else") },
        { "wrong issuer", TestTokens.Create("alice", issuer: "https://elsewhere") },
        { "expired", TestTokens.Expired() },
        { "garbage", "not.a.jwt" },
    };

    [Fact]
    public async Task Start_ProductionWithoutSigningConfiguration_RefusesToStartNamingTheKey()
    {
        var app = HubsApplication.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production"]);
        try
        {
            var start = () => app.StartAsync();

            (await start.Should().ThrowAsync<OptionsValidationException>())
                .Which.Message.Should().Contain("Jwt:SigningKey or Jwt:Authority must be set in Production");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Connect_NoToken_401AndCountedAsMissingToken()
    {
        await using var server = await SecurityTestServer.StartProductionAsync();

        var (status, _) = await RawHubClient.TryConnectAsync(server.WebSocketUri(ProbeHub.Path));

        status.Should().Be(HttpStatusCode.Unauthorized);
        server.Counters.AuthFailures(AuthFailureReasons.MissingToken).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task Connect_RejectedToken_401(string why, string token)
    {
        await using var server = await SecurityTestServer.StartProductionAsync();

        var (status, _) = await RawHubClient.TryConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + token));

        status.Should().Be(HttpStatusCode.Unauthorized, why);
        var reason = why == "expired" ? AuthFailureReasons.ExpiredToken : AuthFailureReasons.InvalidToken;
        server.Counters.AuthFailures(reason).Should().Be(1, why);
    }

    [Fact]
    public async Task Connect_ValidTokenInEachPlace_101AndUserIsTheSubject()
    {
        await using var server = await SecurityTestServer.StartProductionAsync();
        var token = TestTokens.Create("alice");

        await using var viaAccessToken = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + token));
        await using var viaSeed001Token = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "token=" + token));
        await using var viaHeader = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path), bearer: token);

        foreach (var client in new[] { viaAccessToken, viaSeed001Token, viaHeader })
        {
            (await client.InvokeAsync("WhoAmI")).Result!.Value.GetString().Should().Be("alice");
        }
    }

    [Fact]
    public async Task Negotiate_NoToken401_ValidToken200()
    {
        await using var server = await SecurityTestServer.StartProductionAsync();
        var path = ProbeHub.Path + "/negotiate?negotiateVersion=1";

        using var anonymous = await server.Http.PostAsync(path, null);
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Create("alice"));
        using var authenticated = await server.Http.SendAsync(request);

        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        authenticated.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task QueryToken_OutsideConnectionPaths_IsIgnored()
    {
        await using var server = await SecurityTestServer.StartProductionAsync();

        using var response = await server.Http.PostAsync(SecurityTestServer.PublishPath + "?access_token=" + TestTokens.Publisher(), new StringContent("{}"));

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "a token in a URL is accepted only where browsers have no header");
    }

    [Fact]
    public async Task Connect_TokenExpiresWhileConnected_ServerClosesTheConnection()
    {
        await using var server = await SecurityTestServer.StartProductionAsync("Jwt:ClockSkewSeconds=0");
        var token = TestTokens.Create("alice", lifetime: TimeSpan.FromSeconds(3));
        await using var client = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + token));
        (await client.InvokeAsync("Echo", "still valid")).Error.Should().BeNull();

        var close = await client.ReadUntilCloseAsync();

        close.Should().NotBeNull("SignalR sends a close message before ending the socket");
        close!.Value.TryGetProperty("allowReconnect", out var allowReconnect).Should().BeTrue();
        allowReconnect.GetBoolean().Should().BeTrue("a client may reconnect, with a fresh token");
        (await client.ReadMessageAsync()).Should().BeNull("the server ends the socket after the close message");
        var (reconnectStatus, _) = await RawHubClient.TryConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + token));
        reconnectStatus.Should().Be(HttpStatusCode.Unauthorized);
    }
}
