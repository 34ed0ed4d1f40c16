using System.Net.Http.Headers;
using System.Net.Http.Json;
using Hubs.Contracts.Incidents;
using Hubs.Tests.Infrastructure;
using Hubs.Tests.Security;

namespace Hubs.Tests.Legacy;

/// <summary>Legacy sockets are hub connections, so the Redis backplane carries their events between instances.</summary>
public sealed class LegacyScaleoutTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private readonly string _prefix = "legacy-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task PublishedOnInstanceB_ReachesLegacySocketsOnInstanceA()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        var everything = TestTokens.Create("ops", projects: ["*"], roles: ["incidents"]);

        await using var projects = await LegacySocket.ConnectAsync(a.WebSocketUri("/ws/projects?token=" + everything));
        await projects.NextAsync();
        await projects.SendAsync(new { action = "subscribe", project_id = "p-x" });
        (await projects.NextAsync()).GetProperty("type").GetString().Should().Be("subscription_confirmed");

        await using var incidents = await LegacySocket.ConnectAsync(a.WebSocketUri("/ws?token=" + everything));
        await incidents.NextAsync();
        await incidents.SendAsync(new { type = "subscribe", subscription_id = "all", filters = new { } });
        (await incidents.NextAsync()).GetProperty("type").GetString().Should().Be("subscribed");

        await using var alice = await LegacySocket.ConnectAsync(a.WebSocketUri("/api/ws/alice?token=" + TestTokens.Create("alice")));
        await alice.NextAsync();
        await using var bob = await LegacySocket.ConnectAsync(b.WebSocketUri("/api/ws/bob?token=" + TestTokens.Create("bob")));
        await bob.NextAsync();

        var projectUpdate = await PublishAsync(b, "/api/projects/p-x/updates", new { data = new { status = "built" } });
        var update = await projects.NextAsync();
        update.GetProperty("type").GetString().Should().Be("project_updated");
        update.GetProperty("message_id").GetString().Should().Be(projectUpdate);

        var incidentEvent = await PublishAsync(b, "/api/incidents/events", new { event_type = "incident_created", incident = new Incident { Id = "i-x", Severity = "P0" } });
        var delivered = await incidents.NextAsync();
        delivered.GetProperty("type").GetString().Should().Be("event");
        delivered.GetProperty("message_id").GetString().Should().Be(incidentEvent);

        await bob.SendAsync(new { type = "chat", message = "from b" });
        (await alice.NextOfTypeAsync("chat")).GetProperty("user_id").GetString().Should().Be("bob");

        await PublishAsync(b, "/api/users/alice/messages", new { data = new { n = 1 } });
        (await alice.NextOfTypeAsync("notification")).GetProperty("data").GetProperty("n").GetInt32().Should().Be(1);
    }

    private Task<HubsServer> StartAsync() => UserChannelProtocolTests.StartProductionAsync(
        $"Redis:Configuration={redis.ConnectionString}", $"Redis:ChannelPrefix={_prefix}");

    private static async Task<string?> PublishAsync(HubsServer server, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Contracts.HubsJson.Options) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Publisher());
        using var response = await server.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Contracts.Publishing.PublishResult>(Contracts.HubsJson.Options))!.MessageId;
    }
}
