using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hubs.Contracts;
using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Scaleout;

/// <summary>Redis goes away and comes back (same port, empty): local delivery holds, publishing is refused, everything resumes.</summary>
public sealed class RedisOutageTests : IClassFixture<RedisServerFixture>
{
    private readonly RedisServerFixture _redis;
    private readonly string _prefix = "o" + Guid.NewGuid().ToString("N")[..8];

    public RedisOutageTests(RedisServerFixture redis)
    {
        _redis = redis;
    }

    [Fact]
    public async Task RedisRestarted_HealthDegradedMeanwhile_LocalDeliveryHolds_SubscriptionsComeBack()
    {
        await _redis.StartAsync();
        await using var a = await ScaleoutConformanceTests.StartInstanceAsync(Settings());
        await using var b = await ScaleoutConformanceTests.StartInstanceAsync(Settings());
        await using var projectsOnA = await ScaleoutClient.ConnectAsync(a, "alice", HubRoutes.Projects);
        await projectsOnA.InvokeAsync("Subscribe", "p-outage", null);
        await using var memberOnA = await ScaleoutClient.ConnectAsync(a, "alice");
        await using var senderOnA = await ScaleoutClient.ConnectAsync(a, "carol");
        await using var senderOnB = await ScaleoutClient.ConnectAsync(b, "bob");
        await memberOnA.InvokeAsync("Join", "g-outage");

        await _redis.StopAsync();
        await WaitForRedisStateAsync(a, "degraded");

        using (var refused = await b.Http.PostAsJsonAsync("/api/projects/p-outage/updates", new { data = new { n = 0 } }))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("detail").GetString().Should().Contain("Redis is unavailable");
        }

        await senderOnA.InvokeAsync("ToGroup", "g-outage", "local while down");
        (await memberOnA.NextMessageAsync()).Should().Be("local while down");

        await _redis.StartAsync();
        await WaitForRedisStateAsync(a, "connected");
        await WaitForRedisStateAsync(b, "connected");

        await b.PublishProjectUpdateAsync("p-outage", new { n = 1 });
        var update = (await projectsOnA.NextInvocationAsync("ProjectUpdated")).GetProperty("arguments")[0];
        update.GetProperty("data").GetProperty("n").GetInt32().Should().Be(1);

        await senderOnB.InvokeAsync("ToGroup", "g-outage", "across after restart");
        await senderOnB.InvokeAsync("ToUser", "alice", "user after restart");
        await senderOnB.InvokeAsync("ToConnection", memberOnA.ConnectionId, "connection after restart");

        // Three channels (group, user, connection): each ordered, but not with each other.
        string[] received = [await memberOnA.NextMessageAsync(), await memberOnA.NextMessageAsync(), await memberOnA.NextMessageAsync()];
        received.Should().BeEquivalentTo("across after restart", "user after restart", "connection after restart");
    }

    [Fact]
    public async Task SubscriptionConnectionsKilled_WhileBPublishes_SubscriberOnAGetsEveryUpdateOnceInOrder()
    {
        await _redis.StartAsync();
        await using var a = await ScaleoutConformanceTests.StartInstanceAsync(Settings());
        await using var b = await ScaleoutConformanceTests.StartInstanceAsync(Settings());
        await using var projectsOnA = await ScaleoutClient.ConnectAsync(a, "alice", HubRoutes.Projects);
        await projectsOnA.InvokeAsync("Subscribe", "p-gap", null);

        // Redis stays up and B keeps publishing; only the pub/sub connections drop. Whatever is broadcast before A's
        // subscription is back never reaches it over pub/sub.
        var published = new List<string>();
        for (var n = 0; n < 120; n++)
        {
            if (n == 40)
            {
                (await _redis.CommandAsync("CLIENT", "KILL", "TYPE", "pubsub")).Should().NotBe(":0", "A's subscription connection is killed");
            }

            published.Add(await PublishUntilAcceptedAsync(b, "p-gap", n));
            await Task.Delay(10);
        }

        var received = new List<string>();
        try
        {
            while (received.Count < published.Count)
            {
                received.Add(await NextUpdateIdAsync(projectsOnA));
            }
        }
        catch (OperationCanceledException)
        {
            // Reported below with what did arrive.
        }

        received.Should().Equal(published, "every update published while A's subscription was down is read back, once, in order ({0} missing)",
            published.Except(received).Count());
        await NothingDeliveredTwiceAsync(b, projectsOnA, "p-gap");
    }

    [Fact]
    public async Task EntryWhoseBroadcastNeverArrived_IsReadBackBeforeTheNextUpdate()
    {
        await _redis.StartAsync();
        await using var a = await ScaleoutConformanceTests.StartInstanceAsync(Settings());
        await using var b = await ScaleoutConformanceTests.StartInstanceAsync(Settings());
        await using var projectsOnA = await ScaleoutClient.ConnectAsync(a, "alice", HubRoutes.Projects);
        await projectsOnA.InvokeAsync("Subscribe", "p-hole", null);
        var first = await b.PublishProjectUpdateAsync("p-hole", new { n = 1 });

        // What pub/sub loses in a reconnect nobody has reported yet looks like this to the subscriber: the entry is
        // in the stream, its broadcast never came. The next broadcast names it as its predecessor.
        var reply = await _redis.CommandAsync("XADD", $"{_prefix}:history:project:p-hole", "*", "p",
            """{"type":"project_updated","project_id":"p-hole","data":{"n":2},"message_id":"","timestamp":"2026-12-06T00:00:00+00:00"}""");
        var dropped = reply.Split("\r\n")[^1];
        var third = await b.PublishProjectUpdateAsync("p-hole", new { n = 3 });

        var received = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            received.Add(await NextUpdateIdAsync(projectsOnA));
        }

        received.Should().Equal([first, dropped, third], "the gap before the third update is read back from the stream, in order");
        await NothingDeliveredTwiceAsync(b, projectsOnA, "p-hole");
    }

    private static async Task<string> NextUpdateIdAsync(ScaleoutClient client)
        => (await client.NextInvocationAsync("ProjectUpdated")).GetProperty("arguments")[0].GetProperty("message_id").GetString()!;

    // After the expected updates, the next one to arrive is a fresh marker: nothing was queued to arrive a second time.
    private static async Task NothingDeliveredTwiceAsync(HubsServer publisher, ScaleoutClient subscriber, string projectId)
    {
        var marker = await publisher.PublishProjectUpdateAsync(projectId, new { n = -1 });
        (await NextUpdateIdAsync(subscriber)).Should().Be(marker, "nothing is delivered twice");
    }

    // A publisher retries a 503 (Redis unavailable: nothing was stored) as the API asks it to.
    private static async Task<string> PublishUntilAcceptedAsync(HubsServer server, string projectId, int n)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await server.Http.PostAsJsonAsync($"/api/projects/{projectId}/updates", new { data = new { n } }, timeout.Token);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                response.EnsureSuccessStatusCode();
                return (await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("message_id").GetString()!;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    private static async Task WaitForRedisStateAsync(HubsServer server, string state)
    {
        var seen = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var health = await server.Http.GetFromJsonAsync<JsonElement>("/health", timeout.Token);
            var redis = health.GetProperty("redis").GetString()!;
            if (redis == state)
            {
                return;
            }

            seen.Add(redis);
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"/health never showed redis '{state}'; saw {string.Join(", ", seen.Distinct())}.");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private string[] Settings() => [$"Redis:Configuration={_redis.ConnectionString}", $"Redis:ChannelPrefix={_prefix}"];
}
