using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hubs.Contracts;
using Hubs.Server.Security;
using Microsoft.Extensions.Logging;

namespace Hubs.Tests.Security;

/// <summary>Development: anonymous connections and publishing are allowed (and announced), a presented token is still checked.</summary>
public sealed class DevelopmentModeTests : IAsyncLifetime
{
    private SecurityTestServer _server = null!;

    public async Task InitializeAsync() => _server = await SecurityTestServer.StartAsync("Development");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Start_Development_WarnsThatAnonymousAccessIsAllowedAndHowToMintAToken()
    {
        var warnings = _server.Logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => (e.Id.Id, e.Message)).ToList();

        warnings.Should().Contain(w => w.Id == 700 && w.Message.Contains("dotnet run --project Hubs.Server -- token --user alice"));
        warnings.Should().Contain(w => w.Id == 701, "the development key is in use");
    }

    [Fact]
    public async Task Connect_Anonymous_AllowedAndPassesClaimChecks()
    {
        await using var client = await RawHubClient.ConnectAsync(_server.WebSocketUri(HubRoutes.Projects));

        (await client.InvokeAsync("Subscribe", "any-project", null)).Error.Should().BeNull();
    }

    [Fact]
    public async Task Connect_InvalidToken_401EvenInDevelopment()
    {
        var (status, _) = await RawHubClient.TryConnectAsync(_server.WebSocketUri(HubRoutes.Projects, "access_token=" + TestTokens.WrongSignature()));

        status.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Connect_DevelopmentKeyToken_HeldToItsClaims()
    {
        var token = TestTokens.Create("alice", projects: ["p1"], key: JwtSigning.DevelopmentSigningKey);
        await using var client = await RawHubClient.ConnectAsync(_server.WebSocketUri(HubRoutes.Projects, "access_token=" + token));

        HubLimitsTests.HubError((await client.InvokeAsync("Subscribe", "p2", null)).Error).Code.Should().Be(HubErrorCodes.Unauthorized);
        (await client.InvokeAsync("Subscribe", "p1", null)).Error.Should().BeNull();
    }

    [Fact]
    public async Task Study_AnonymousWithUserIdQuery_GetsThatUser()
    {
        await using var client = await RawHubClient.ConnectAsync(_server.WebSocketUri(HubRoutes.Study, "user_id=dev-user"));

        (await client.InvokeAsync("SendChat", "hi", null)).Error.Should().BeNull();
        var chat = await client.ReadInvocationAsync("Chat");

        chat.GetProperty("arguments")[0].GetProperty("user_id").GetString().Should().Be("dev-user");
    }

    [Fact]
    public async Task Publish_Anonymous_AcceptedButATokenWithoutPublisherScopeIsNot()
    {
        async Task<HttpStatusCode> PostAsync(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/projects/p1/updates")
            {
                Content = new StringContent("""{"data":{"n":1}}""", Encoding.UTF8, "application/json"),
            };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await _server.Http.SendAsync(request);
            return response.StatusCode;
        }

        (await PostAsync(null)).Should().Be(HttpStatusCode.Accepted);
        (await PostAsync(TestTokens.Create("alice", key: JwtSigning.DevelopmentSigningKey))).Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Upgrade_AnyOriginWithEmptyList_AllowedInDevelopment()
    {
        var (status, client) = await RawHubClient.TryConnectAsync(_server.WebSocketUri(HubRoutes.Projects), origin: "http://localhost:5173");
        await client!.DisposeAsync();

        status.Should().Be(HttpStatusCode.SwitchingProtocols);
    }
}
