using Hubs.Server.Security;
using Microsoft.Extensions.Options;

namespace Hubs.Tests.Security;

public sealed class LimiterTests
{
    [Fact]
    public void TryAcquire_OverMessagesPerMinute_RefusesThatUserOnly()
    {
        using var limiter = new SlidingWindowUserRateLimiter(Options.Create(new LimitsOptions { MessagesPerMinutePerUser = 100 }));

        Enumerable.Range(0, 100).Select(_ => limiter.TryAcquire("alice")).ToList().Should().AllBeEquivalentTo(true);
        limiter.TryAcquire("alice").Should().BeFalse();
        limiter.TryAcquire("bob").Should().BeTrue();
    }

    [Fact]
    public void TryAcquire_LimitZero_NeverRefuses()
    {
        using var limiter = new SlidingWindowUserRateLimiter(Options.Create(new LimitsOptions { MessagesPerMinutePerUser = 0 }));
        Enumerable.Range(0, 10_000).Select(_ => limiter.TryAcquire("alice")).ToList().Should().AllBeEquivalentTo(true);
    }

    [Fact]
    public void ConnectionLimiter_AtLimit_RefusesUntilALeaseIsReleased()
    {
        var limiter = new ConnectionLimiter(Options.Create(new LimitsOptions { MaxConnectionsPerUser = 2 }));
        var first = limiter.TryAcquire("alice");
        var second = limiter.TryAcquire("alice");

        limiter.TryAcquire("alice").Should().BeNull();
        limiter.TryAcquire("bob").Should().NotBeNull();

        first!.Dispose();
        first.Dispose();
        limiter.CountOf("alice").Should().Be(1, "disposing a lease twice releases one slot");
        limiter.TryAcquire("alice").Should().NotBeNull();
        limiter.TryAcquire("alice").Should().BeNull();
        second!.Dispose();
    }

    [Fact]
    public void ConnectionLimiter_LimitZero_NeverRefuses()
    {
        var limiter = new ConnectionLimiter(Options.Create(new LimitsOptions { MaxConnectionsPerUser = 0 }));
        Enumerable.Range(0, 1000).Select(_ => limiter.TryAcquire("alice")).ToList().Should().NotContainNulls();
    }
}
