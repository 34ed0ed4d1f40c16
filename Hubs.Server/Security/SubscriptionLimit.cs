using Hubs.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

/// <summary>
/// <c>Limits:MaxSubscriptionsPerConnection</c> for the hubs that hold subscriptions (projects, incidents). The hub
/// knows its count; it calls <see cref="EnsureCanAdd"/> before adding a new one (not when replacing an existing id).
/// </summary>
internal sealed class SubscriptionLimit(IOptions<LimitsOptions> options, ILogger<SubscriptionLimit> logger)
{
    public int Max { get; } = options.Value.MaxSubscriptionsPerConnection;

    /// <summary>Throws <c>LIMIT_EXCEEDED</c> (counted by MetricsHubFilter as <c>limit_exceeded</c>) when a connection holding <paramref name="currentCount"/> subscriptions may not add one.</summary>
    public void EnsureCanAdd(HubCallerContext context, int currentCount)
    {
        if (currentCount >= Max)
        {
            SecurityLog.SubscriptionLimitReached(logger, context.ConnectionId, Max);
            throw new HubException(HubErrorCodes.Format(HubErrorCodes.LimitExceeded, $"At most {Max} subscriptions per connection"));
        }
    }
}
