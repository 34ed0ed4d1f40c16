using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hubs.Contracts;
using Hubs.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hubs.Tests.Security;

public sealed class AuthorityAndLegacyHelperTests
{
    [Fact]
    public async Task Connect_AuthorityConfigured_AcceptsItsTokensOnlyWithTheConfiguredAudience()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        await using var server = await SecurityTestServer.StartAsync("Production",
            $"Jwt:Authority={idp.Authority}", "Jwt:RequireHttpsMetadata=false", "Jwt:Audience=hubs-api");

        async Task<HttpStatusCode> ConnectAsync(string token)
        {
            var (status, client) = await RawHubClient.TryConnectAsync(server.WebSocketUri(HubRoutes.Projects, "access_token=" + token));
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            return status;
        }

        (await ConnectAsync(idp.CreateToken("alice", "hubs-api"))).Should().Be(HttpStatusCode.SwitchingProtocols);
        (await ConnectAsync(idp.CreateToken("alice", "another-api"))).Should().Be(HttpStatusCode.Unauthorized);
        (await ConnectAsync(idp.CreateToken("alice", "hubs-api", issuer: "https://impostor.example"))).Should().Be(HttpStatusCode.Unauthorized);
        (await ConnectAsync(TestTokens.Create("alice", audience: "hubs-api"))).Should().Be(HttpStatusCode.Unauthorized, "no symmetric key is configured");
    }

    [Fact]
    public async Task Connect_AuthorityTokenWithProjectsArray_ClaimChecksApply()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        await using var server = await SecurityTestServer.StartAsync("Production",
            $"Jwt:Authority={idp.Authority}", "Jwt:RequireHttpsMetadata=false", "Jwt:Audience=hubs-api");
        var token = idp.CreateToken("alice", "hubs-api", claims: new() { ["projects"] = new[] { "p1", "p2" }, ["roles"] = new[] { "incidents" } });

        await using var projects = await RawHubClient.ConnectAsync(server.WebSocketUri(HubRoutes.Projects, "access_token=" + token));
        await using var incidents = await RawHubClient.ConnectAsync(server.WebSocketUri(HubRoutes.Incidents, "access_token=" + token));

        (await projects.InvokeAsync("Subscribe", "p2", null)).Error.Should().BeNull();
        HubLimitsTests.HubError((await projects.InvokeAsync("Subscribe", "p3", null)).Error).Code.Should().Be(HubErrorCodes.Unauthorized);
        (await incidents.InvokeAsync("Subscribe", "s1", new { }, null)).Error.Should().BeNull();
    }

    [Theory]
    [InlineData("none", "alice", false, AuthFailureReasons.MissingToken)]
    [InlineData("bob", "alice", false, AuthFailureReasons.UserMismatch)]
    [InlineData("expired", "alice", false, AuthFailureReasons.ExpiredToken)]
    [InlineData("alice", "alice", true, null)]
    public async Task ConnectionAuthorizer_PerUserPath_TokenUserMustBeThePathUser(string tokenFor, string pathUser, bool allowed, string? reason)
    {
        await using var server = await SecurityTestServer.StartProductionAsync();
        var token = tokenFor switch
        {
            "none" => null,
            "expired" => TestTokens.Expired(pathUser),
            _ => TestTokens.Create(tokenFor),
        };

        var verdict = await server.Http.GetFromJsonAsync<JsonElement>(
            SecurityTestServer.UserPathProbe + pathUser + (token is null ? string.Empty : "?token=" + token));

        verdict.GetProperty("allowed").GetBoolean().Should().Be(allowed);
        if (reason is not null)
        {
            verdict.GetProperty("failure_reason").GetString().Should().Be(reason);
            server.Counters.AuthFailures(reason).Should().Be(1);
        }
        else
        {
            verdict.GetProperty("user_id").GetString().Should().Be(pathUser);
            verdict.GetProperty("expires_utc").GetDateTimeOffset().Should().BeAfter(DateTimeOffset.UtcNow, "the bridge closes the socket then");
        }
    }

    [Fact]
    public async Task ConnectionAuthorizer_DevelopmentWithoutToken_AllowedAnonymously()
    {
        await using var server = await SecurityTestServer.StartAsync("Development");

        var verdict = await server.Http.GetFromJsonAsync<JsonElement>(SecurityTestServer.UserPathProbe + "alice");

        verdict.GetProperty("allowed").GetBoolean().Should().BeTrue();
    }
}
