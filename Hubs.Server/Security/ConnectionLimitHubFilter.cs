using Hubs.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Hubs.Server.Observability;

namespace Hubs.Server.Security;

/// <summary>
/// Refuses a connection beyond <c>Limits:MaxConnectionsPerUser</c>: throwing from <c>OnConnectedAsync</c> makes SignalR
/// close it with <c>"Connection closed with an error. HubException: LIMIT_EXCEEDED: ..."</c>. Connections without a
/// user id (anonymous, Development) are not counted.
/// </summary>
internal sealed class ConnectionLimitHubFilter(IConnectionLimiter limiter, HubsMetrics metrics, ILogger<ConnectionLimitHubFilter> logger) : IHubFilter
{
    private static readonly object LeaseKey = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var userId = context.Context.UserIdentifier;
        IDisposable? lease = null;
        if (userId is not null)
        {
            lease = limiter.TryAcquire(userId);
            if (lease is null)
            {
                metrics.AuthFailure(AuthFailureReasons.ConnectionLimit);
                SecurityLog.ConnectionLimitReached(logger, context.Context.ConnectionId, userId, limiter.MaxConnectionsPerUser);
                throw new HubException(HubErrorCodes.Format(HubErrorCodes.LimitExceeded,
                    $"Too many connections for this user (at most {limiter.MaxConnectionsPerUser})"));
            }

            context.Context.Items[LeaseKey] = lease;
        }

        try
        {
            await next(context);
        }
        catch
        {
            // SignalR does not call OnDisconnectedAsync when OnConnectedAsync fails, so the slot is returned here.
            context.Context.Items.Remove(LeaseKey);
            lease?.Dispose();
            throw;
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        finally
        {
            if (context.Context.Items.TryGetValue(LeaseKey, out var lease))
            {
                context.Context.Items.Remove(LeaseKey);
                (lease as IDisposable)?.Dispose();
            }
        }
    }
}
