using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Observability;

/// <summary>Registers metrics, the Prometheus exporter, optional OTLP export, health checks, JSON logs and the hub metrics filter.</summary>
internal static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";
    public const string ApiMetricsPath = "/api/metrics";
    public const string HealthPath = "/health";
    public const string WebSocketHealthPath = "/health/websocket";
    public const string LegacyWsHealthPath = "/api/ws/health";

    public static WebApplicationBuilder AddHubsObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ObservabilityOptions>, ObservabilityOptionsValidator>();
        services.AddOptions<OtlpOptions>().BindConfiguration(OtlpOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OtlpOptions>, OtlpOptionsValidator>();
        services.AddOptions<LogFormatOptions>().BindConfiguration(LogFormatOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LogFormatOptions>, LogFormatOptionsValidator>();

        // Request-start lines carry the query string, and WebSocket clients send their JWT there (?access_token=,
        // ?token=): never log them, whatever level the configuration sets.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        // Structured logs: scopes on, so the hub connection id (see ConnectionLogScope) is on every line.
        builder.Logging.AddConsole();
        services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });
        services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = true;
            o.SingleLine = true;
        });
        services.AddSingleton<IConfigureOptions<ConsoleLoggerOptions>, ConsoleFormatSetup>();

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HubsMetrics>();
        services.AddSingleton<PrometheusMetricsExporter>();
        services.AddSingleton<IMetricsExporter>(sp => sp.GetRequiredService<PrometheusMetricsExporter>());
        services.AddHostedService<OtlpMetricsService>();

        services.AddSingleton<ConnectionTracker>();
        services.TryAddSingleton<IConnectionCounts, PresenceConnectionCounts>();
        services.AddSingleton<MetricsHubFilter>();
        services.Configure<HubOptions>(o => o.AddFilter<MetricsHubFilter>());

        services.AddSingleton<HubsHealthInfo>();
        services.AddHealthChecks().AddCheck<LifetimeHealthCheck>(LifetimeHealthCheck.Name);
        return builder;
    }

    public static WebApplication MapHubsObservability(this WebApplication app)
    {
        // Listen before anything is measured, then create the instruments, so the first scrape lists them all.
        app.Services.GetRequiredService<IMetricsExporter>();
        app.Services.GetRequiredService<HubsMetrics>();

        app.MapGet(MetricsPath, WriteMetricsAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(ApiMetricsPath, WriteMetricsAsync).AllowAnonymous().ExcludeFromDescription();

        app.MapHealthChecks(HealthPath, HealthOptions(HealthResponses.WriteHealthAsync)).AllowAnonymous();
        app.MapHealthChecks(WebSocketHealthPath, HealthOptions(HealthResponses.WriteWebSocketHealthAsync)).AllowAnonymous();
        app.MapHealthChecks(LegacyWsHealthPath, HealthOptions(HealthResponses.WriteLegacyWsHealthAsync)).AllowAnonymous();
        return app;
    }

    private static async Task WriteMetricsAsync(HttpContext context, IMetricsExporter exporter)
    {
        context.Response.ContentType = exporter.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        await exporter.WriteAsync(context.Response.Body, context.RequestAborted);
    }

    private static HealthCheckOptions HealthOptions(Func<HttpContext, HealthReport, Task> writer) => new()
    {
        ResponseWriter = writer,
        AllowCachingResponses = false,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            // Degraded (for example Redis lost) still serves its local connections: stay in rotation.
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };
}
