using System.Collections.Concurrent;
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
    // By connection id, not in the connection's Items: that dictionary is created on first use, and an idle
    // connection should not pay a ConcurrentDictionary of its own for one entry (docs/performance.md).
    private readonly ConcurrentDictionary<string, IDisposable> _leases = new(StringComparer.Ordinal);

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

            _leases[context.Context.ConnectionId] = lease;
        }

        try
        {
            await next(context);
        }
        catch
        {
            // SignalR does not call OnDisconnectedAsync when OnConnectedAsync fails, so the slot is returned here.
            if (lease is not null)
            {
                _leases.TryRemove(context.Context.ConnectionId, out _);
                lease.Dispose();
            }

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
            if (_leases.TryRemove(context.Context.ConnectionId, out var lease))
            {
                lease.Dispose();
            }
        }
    }
}
