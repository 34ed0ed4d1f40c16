using System.Net;
using Hubs.Contracts;
using Hubs.Server.Security;

namespace Hubs.Tests.Security;

/// <summary>The origin allow-list on real upgrades and negotiate requests, and CORS with the same list.</summary>
public sealed class OriginAndCorsTests : IAsyncLifetime
{
    private const string Allowed = "https://app.example.com";
    private const string Hostile = "https://evil.example.net";

    private SecurityTestServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await SecurityTestServer.StartProductionAsync($"CORS_ORIGINS={Allowed},http://localhost:3000");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Uri Hub(string path) => _server.WebSocketUri(path, "access_token=" + TestTokens.Create("alice"));

    [Theory]
    [InlineData(HubRoutes.Projects)]
    [InlineData("/ws")]
    [InlineData("/ws/projects")]
    [InlineData("/ws/stream-generation")]
    [InlineData("/api/ws/alice")]
    public async Task Upgrade_OriginNotInList_403BeforeAnythingElse(string path)
    {
        var before = _server.Counters.AuthFailures(AuthFailureReasons.OriginNotAllowed);

        var (status, _) = await RawHubClient.TryConnectAsync(Hub(path), origin: Hostile);

        status.Should().Be(HttpStatusCode.Forbidden);
        _server.Counters.AuthFailures(AuthFailureReasons.OriginNotAllowed).Should().Be(before + 1);
    }

    [Fact]
    public async Task Upgrade_ListedOriginOrNoOriginOrSameOrigin_Accepted()
    {
        foreach (var origin in new[] { Allowed, "http://localhost:3000", null, _server.BaseAddress.GetLeftPart(UriPartial.Authority) })
        {
            var (status, client) = await RawHubClient.TryConnectAsync(Hub(HubRoutes.Projects), origin: origin);
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            status.Should().Be(HttpStatusCode.SwitchingProtocols, $"origin {origin ?? "(none)"}");
        }
    }

    [Fact]
    public async Task Negotiate_HostileOrigin_403()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, HubRoutes.Projects + "/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", Hostile);

        using var response = await _server.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Preflight_ListedOrigin_CorsAllowsWithCredentials_HostileOriginGetsNoCorsHeaders()
    {
        static HttpRequestMessage Preflight(string path, string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, path);
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            return request;
        }

        using var negotiate = await _server.Http.SendAsync(Preflight(HubRoutes.Projects + "/negotiate", Allowed));
        using var publish = await _server.Http.SendAsync(Preflight("/api/projects/p1/updates", Allowed));
        using var hostilePublish = await _server.Http.SendAsync(Preflight("/api/projects/p1/updates", Hostile));

        negotiate.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(Allowed);
        negotiate.Headers.GetValues("Access-Control-Allow-Credentials").Should().Equal("true");
        publish.Headers.GetValues("Access-Control-Allow-Origin").Should().Equal(Allowed);
        hostilePublish.Headers.Contains("Access-Control-Allow-Origin").Should().BeFalse();
    }
}
