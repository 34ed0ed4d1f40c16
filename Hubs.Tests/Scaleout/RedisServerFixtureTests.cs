using FluentAssertions;
using Hubs.Tests.Infrastructure;
using Xunit;

namespace Hubs.Tests.Scaleout;

public sealed class RedisServerFixtureTests
{
    [Fact]
    public async Task Restart_ComesBackOnTheSamePort_Empty()
    {
        await using var redis = new RedisServerFixture();
        await redis.StartAsync();
        (await redis.CommandAsync("SET", "k", "v")).Should().Be("+OK");

        await redis.StopAsync();
        redis.IsRunning.Should().BeFalse();
        var whileDown = async () => await redis.CommandAsync("PING");
        await whileDown.Should().ThrowAsync<Exception>();

        await redis.RestartAsync();
        (await redis.CommandAsync("EXISTS", "k")).Should().Be(":0");
    }
}
