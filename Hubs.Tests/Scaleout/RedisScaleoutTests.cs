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

        var health = await A.Http.GetStringAsync("/api/ws/health");

        health.Should().Contain("\"active_connections\":2").And.Contain("\"total_sockets\":3");
    }

    protected override async Task<(HubsServer A, HubsServer B)> StartInstancesAsync()
        => (await StartInstanceAsync(Settings()), await StartInstanceAsync(Settings()));

    private string[] Settings() => [$"Redis:Configuration={_redis.ConnectionString}", $"Redis:ChannelPrefix={_prefix}"];
}
