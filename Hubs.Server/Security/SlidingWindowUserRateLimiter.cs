using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

/// <summary>
/// One sliding-window limiter per user key (six 10-second segments per minute), so a burst at a window edge cannot
/// double the allowance the way a fixed window would. Idle users' limiters are dropped by the partitioned limiter.
/// </summary>
internal sealed class SlidingWindowUserRateLimiter : IUserRateLimiter, IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;

    public SlidingWindowUserRateLimiter(IOptions<LimitsOptions> options)
    {
        var permits = options.Value.MessagesPerMinutePerUser;
        if (permits > 0)
        {
            _limiter = PartitionedRateLimiter.Create<string, string>(userKey => RateLimitPartition.GetSlidingWindowLimiter(userKey, _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 0,
                AutoReplenishment = true,
            }), StringComparer.Ordinal);
        }
    }

    public bool TryAcquire(string userKey)
    {
        if (_limiter is null)
        {
            return true;
        }

        using var lease = _limiter.AttemptAcquire(userKey);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter?.Dispose();
}
