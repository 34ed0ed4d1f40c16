using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hubs.Server.Security;

namespace Hubs.Tests.Security;

/// <summary>RequirePublisher on a publish endpoint: 401 / 403 / 2xx, body limit, per-caller rate limit.</summary>
public sealed class PublishApiSecurityTests
{
    private static async Task<HttpResponseMessage> PostAsync(SecurityTestServer server, string? token, string body = "{}")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, SecurityTestServer.PublishPath) { Content = new StringContent(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await server.Http.SendAsync(request);
    }

    [Fact]
    public async Task Publish_ByToken_401Then403ThenAccepted()
    {
        await using var server = await SecurityTestServer.StartProductionAsync();

        using var anonymous = await PostAsync(server, null);
        using var invalid = await PostAsync(server, TestTokens.WrongSignature("backend"));
        using var notPublisher = await PostAsync(server, TestTokens.Create("alice", projects: ["*"]));
        using var byScope = await PostAsync(server, TestTokens.Publisher());
        using var byRole = await PostAsync(server, TestTokens.Create("backend", roles: ["publisher"]));

        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        invalid.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        notPublisher.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        byScope.StatusCode.Should().Be(HttpStatusCode.Accepted);
        byRole.StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Publish_BodyOverPublishMaxBodyBytes_413()
    {
        await using var server = await SecurityTestServer.StartProductionAsync("Limits:PublishMaxBodyBytes=2048");

        using var small = await PostAsync(server, TestTokens.Publisher(), new string('x', 2000));
        using var large = await PostAsync(server, TestTokens.Publisher(), new string('x', 3000));

        small.StatusCode.Should().Be(HttpStatusCode.Accepted);
        large.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Publish_OverPublishRequestsPerMinute_429ProblemDetailsPerCaller()
    {
        await using var server = await SecurityTestServer.StartProductionAsync("Limits:PublishRequestsPerMinute=2");
        var backend = TestTokens.Publisher("backend-a");

        using var first = await PostAsync(server, backend);
        using var second = await PostAsync(server, backend);
        using var third = await PostAsync(server, backend);
        using var otherCaller = await PostAsync(server, TestTokens.Publisher("backend-b"));

        first.StatusCode.Should().Be(HttpStatusCode.Accepted);
        second.StatusCode.Should().Be(HttpStatusCode.Accepted);
        third.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        third.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await third.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be(429);
        problem.GetProperty("detail").GetString().Should().Contain("Limits:PublishRequestsPerMinute");
        third.Headers.RetryAfter.Should().NotBeNull();
        otherCaller.StatusCode.Should().Be(HttpStatusCode.Accepted);
        server.Counters.MessageErrors(MessageErrorTypes.PublishRateLimited).Should().Be(1);
    }
}
