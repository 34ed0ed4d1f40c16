using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Hubs.Server.Observability;

namespace Hubs.Server.Security;

/// <summary>
/// The <see cref="HubsPolicies.PublishRateLimit"/> policy: a sliding minute per caller (token user, or the client IP
/// for anonymous callers in Development). Over it: 429 problem details with <c>Retry-After</c>, and a counter.
/// </summary>
internal sealed class ConfigurePublishRateLimiter(IOptions<LimitsOptions> limits, HubsMetrics metrics, ILogger<ConfigurePublishRateLimiter> logger)
    : IConfigureOptions<RateLimiterOptions>
{
    private const int Segments = 6;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Segment = Window / Segments;

    public void Configure(RateLimiterOptions options)
    {
        var permits = limits.Value.PublishRequestsPerMinute;
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.AddPolicy(HubsPolicies.PublishRateLimit, context =>
        {
            var caller = CallerKey(context);
            return permits == 0
                ? RateLimitPartition.GetNoLimiter(caller)
                : RateLimitPartition.GetSlidingWindowLimiter(caller, _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = Window,
                    SegmentsPerWindow = Segments,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
        });
        options.OnRejected = async (context, cancellationToken) =>
        {
            metrics.MessageError(MessageErrorTypes.PublishRateLimited);
            SecurityLog.PublishRateLimited(logger, CallerKey(context.HttpContext), context.HttpContext.Request.Path);
            // The sliding window frees permits one segment at a time, so a segment is the earliest worthwhile retry.
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var hint) ? hint : Segment;
            context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

            await Results.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many requests",
                detail: $"Publish rate limit exceeded: at most {permits} requests per minute per caller ({LimitsOptions.SectionName}:{nameof(LimitsOptions.PublishRequestsPerMinute)}).")
                .ExecuteAsync(context.HttpContext);
        };
    }

    private static string CallerKey(HttpContext context) =>
        UserIdentity.GetUserId(context.User) is { } user
            ? "user:" + user
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
