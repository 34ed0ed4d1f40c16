using Microsoft.Extensions.Logging;
using Hubs.Server.Observability;

namespace Hubs.Server.Security;

/// <summary>
/// Refuses, with HTTP 403, any request to a connection path (<see cref="ConnectionPaths"/>: WebSocket upgrades,
/// SignalR negotiate, long polling) whose <c>Origin</c> is not allowed by <see cref="OriginPolicy"/>.
/// </summary>
internal sealed class OriginCheckMiddleware(RequestDelegate next, OriginPolicy policy, HubsMetrics metrics, ILogger<OriginCheckMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!ConnectionPaths.IsConnectionPath(context.Request.Path) || policy.IsAllowed(context.Request))
        {
            return next(context);
        }

        var origin = context.Request.Headers.Origin.ToString();
        metrics.AuthFailure(AuthFailureReasons.OriginNotAllowed);
        SecurityLog.OriginRejected(logger, context.Request.Method, context.Request.Path, origin.Length <= 200 ? origin : origin[..200]);
        return Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Origin not allowed",
            detail: "This origin may not connect. Allowed origins are configured with CORS_ORIGINS or Security:AllowedOrigins.")
            .ExecuteAsync(context);
    }
}
