using Hubs.Contracts;
using Hubs.Server.Scaleout.Redis;
using Hubs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hubs.Tests.Scaleout;

/// <summary>The conformance suite on two instances sharing a real redis-server, plus what only a shared Redis can show.</summary>
public sealed class RedisScaleoutTests : ScaleoutConformanceTests, IClassFixture<RedisServerFixture>
{
    private readonly RedisServerFixture _redis;
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..8];

    public RedisScaleoutTests(RedisServerFixture redis)
    {
        _redis = redis;
    }

    public override async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }

    [Fact]
    public async Task Instances_UseTheRedisLifetimeManager()
    {
        A.Services.GetService<RedisConnection>().Should().NotBeNull();
        (await A.Http.GetStringAsync("/health")).Should().Contain("\"redis\":\"connected\"");
    }

    [Fact]
    public async Task AddToGroup_ForAConnectionNoInstanceHolds_FailsClearly()
    {
        await using var onB = await ScaleoutClient.ConnectAsync(B, "bob");

        var completion = await onB.InvokeForCompletionAsync("AddOther", "no-such-connection", "g");

        completion.GetProperty("error").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task ForwardedMessage_SurvivesARestartOfTheInstance_InTheRedisStream()
    {
        await using (var onA = await ScaleoutClient.ConnectAsync(A, "alice", HubRoutes.Projects))
        {
            await onA.InvokeAsync("Forward", Json(new { type = "dev", message_id = "m-restart", project_id = "p1", data = new { task = "x" } }));
        }

        await A.DisposeAsync();
        A = await StartInstanceAsync(Settings());

        var stream = await _redis.CommandAsync("XRANGE", _prefix + ":queue:dev", "-", "+");
        stream.Should().Contain("m-restart");
        (await _redis.CommandAsync("XLEN", _prefix + ":queue:dev")).Should().Be(":1");
    }

    [Fact]
    public async Task Presence_CountsUsersOnEveryInstance()
    {
        await using var onA = await ScaleoutClient.ConnectAsync(A, "alice", HubRoutes.Study);
        await using var onB = await ScaleoutClient.ConnectAsync(B, "dave", HubRoutes.Study);
        await using var againOnB = await ScaleoutClient.ConnectAsync(B, "alice", HubRoutes.Study);

        // The hub records presence just after the handshake, so the counts may lag the connects briefly.
        var health = string.Empty;
        for (var attempt = 0; attempt < 100 && !health.Contains("\"total_sockets\":3", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
            health = await A.Http.GetStringAsync("/api/ws/health");
        }

        health.Should().Contain("\"active_connections\":2").And.Contain("\"total_sockets\":3");
    }

    [Fact]
    public async Task ProjectTopic_IsSubscribedOnlyByInstancesWithSubscribers_AndReleasedWhenTheLastOneLeaves()
    {
        var channel = _prefix + ":topic:project:p-channel";
        await using var first = await ScaleoutClient.ConnectAsync(A, "alice", HubRoutes.Projects);
        await using var second = await ScaleoutClient.ConnectAsync(A, "carol", HubRoutes.Projects);

        await first.InvokeAsync("Subscribe", "p-channel", null);
        await second.InvokeAsync("Subscribe", "p-channel", null);
        await B.PublishProjectUpdateAsync("p-channel", new { n = 1 });

        // Two subscribers on A, none on B: one Redis subscriber for the project, and B publishing does not make B one.
        (await SubscriberCountAsync(channel)).Should().Be(1);

        await first.InvokeAsync("Unsubscribe", "p-channel");
        (await SubscriberCountAsync(channel)).Should().Be(1, "a subscriber remains on A");

        await second.DisposeAsync();
        (await EventuallyAsync(() => SubscriberCountAsync(channel), 0)).Should().Be(0, "A releases the topic when its last subscriber's connection closes");
    }

    private async Task<long> SubscriberCountAsync(string channel)
    {
        // PUBSUB NUMSUB answers *2 $len channel :count.
        var reply = await _redis.CommandAsync("PUBSUB", "NUMSUB", channel);
        return long.Parse(reply[(reply.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> EventuallyAsync(Func<Task<long>> read, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var value = await read();
        while (value != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            value = await read();
        }

        return value;
    }

    protected override async Task<(HubsServer A, HubsServer B)> StartInstancesAsync()
        => (await StartInstanceAsync(Settings()), await StartInstanceAsync(Settings()));

    private string[] Settings() => [$"Redis:Configuration={_redis.ConnectionString}", $"Redis:ChannelPrefix={_prefix}"];
}
