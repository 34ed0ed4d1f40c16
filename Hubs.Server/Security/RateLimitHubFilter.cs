using Hubs.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace Hubs.Server.Security;

/// <summary>
/// Counts every hub invocation (legacy client messages arrive as invocations too) against the caller's per-minute
/// allowance. Over it, the call is dropped with <c>RATE_LIMITED: Rate limit exceeded</c>; the connection stays up.
/// The rejection is counted by Observability's MetricsHubFilter (every HubException, by code), not here.
/// </summary>
internal sealed class RateLimitHubFilter(IUserRateLimiter limiter, ILogger<RateLimitHubFilter> logger) : IHubFilter
{
    public const string Message = "Rate limit exceeded";

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (invocationContext.HubMethod.IsDefined(typeof(RateLimitExemptAttribute), inherit: true))
        {
            return next(invocationContext);
        }

        var userKey = GetUserKey(invocationContext.Context);
        if (!limiter.TryAcquire(userKey))
        {
            SecurityLog.RateLimited(logger, userKey, invocationContext.HubMethodName);
            throw new HubException(HubErrorCodes.Format(HubErrorCodes.RateLimited, Message));
        }

        return next(invocationContext);
    }

    /// <summary>The user id; an anonymous connection without one is limited on its own.</summary>
    internal static string GetUserKey(HubCallerContext context) => context.UserIdentifier ?? "connection:" + context.ConnectionId;
}
