using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hubs.Server.Observability;

/// <summary>
/// The JSON bodies of the three health endpoints. All three run the same ASP.NET Core health checks
/// (<c>AddHealthChecks()</c>), so a check another component registers counts everywhere. The Redis
/// backplane registers a check named <see cref="RedisCheckName"/>; its <c>state</c> data entry (or, without
/// one, its status) becomes the <c>redis</c> field. No such check means Redis is not configured.
/// </summary>
internal static class HealthResponses
{
    public const string RedisCheckName = "redis";

    public const string RedisStateKey = "state";

    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary><c>/health</c>: <c>{status, redis, instance, uptime_seconds, connections, checks}</c>.</summary>
    public static async Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        var info = context.RequestServices.GetRequiredService<HubsHealthInfo>();
        var tracker = context.RequestServices.GetRequiredService<ConnectionTracker>();
        context.Response.ContentType = JsonContentType;
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", StatusText(report.Status));
        json.WriteString("redis", RedisState(report));
        json.WriteString("instance", info.Instance);
        json.WriteNumber("uptime_seconds", info.UptimeSeconds);
        json.WriteNumber("connections", tracker.ActiveSockets);
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", StatusText(entry.Status));
            if (entry.Description is not null)
            {
                json.WriteString("description", entry.Description);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    /// <summary><c>/health/websocket</c>, seed 003's shape: <c>{status, activeConnections, timestamp}</c>.</summary>
    public static async Task WriteWebSocketHealthAsync(HttpContext context, HealthReport report)
    {
        var tracker = context.RequestServices.GetRequiredService<ConnectionTracker>();
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        context.Response.ContentType = JsonContentType;
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", StatusText(report.Status));
        json.WriteNumber("activeConnections", tracker.ActiveSockets);
        json.WriteString("timestamp", time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    /// <summary><c>/api/ws/health</c>, seed 001's shape: <c>{status, active_connections (users), total_sockets}</c>.</summary>
    public static async Task WriteLegacyWsHealthAsync(HttpContext context, HealthReport report)
    {
        var (users, sockets) = await context.RequestServices.GetRequiredService<IConnectionCounts>().CountAsync(context.RequestAborted);
        context.Response.ContentType = JsonContentType;
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", StatusText(report.Status));
        json.WriteNumber("active_connections", users);
        json.WriteNumber("total_sockets", sockets);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    public static string StatusText(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    private static string RedisState(HealthReport report)
    {
        if (!report.Entries.TryGetValue(RedisCheckName, out var redis))
        {
            return "not_configured";
        }

        if (redis.Data.TryGetValue(RedisStateKey, out var state) && state is string text)
        {
            return text;
        }

        return redis.Status == HealthStatus.Healthy ? "connected" : "disconnected";
    }
}
