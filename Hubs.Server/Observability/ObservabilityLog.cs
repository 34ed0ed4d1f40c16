namespace Hubs.Server.Observability;

/// <summary>Log messages of the observability components. Event ids 800-899; do not reuse.</summary>
internal static partial class ObservabilityLog
{
    [LoggerMessage(800, LogLevel.Warning, "Metric {Metric} reached its limit of {Limit} label sets; further label sets are counted under otel_metric_overflow=\"true\".")]
    public static partial void SeriesLimitReached(ILogger logger, string metric, int limit);

    [LoggerMessage(801, LogLevel.Warning, "Metric name {Metric} from meter {Meter} is already exported by another instrument; this one is skipped.")]
    public static partial void DuplicateMetricName(ILogger logger, string metric, string meter);

    [LoggerMessage(802, LogLevel.Debug, "Hub connection opened.")]
    public static partial void ConnectionOpened(ILogger logger);

    [LoggerMessage(803, LogLevel.Debug, "Hub connection closed after {DurationSeconds:F1} s.")]
    public static partial void ConnectionClosed(ILogger logger, double durationSeconds, Exception? exception);

    [LoggerMessage(804, LogLevel.Information, "Hub connection refused while connecting.")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(805, LogLevel.Information, "OTLP metric export enabled to {Endpoint} ({Protocol}).")]
    public static partial void OtlpEnabled(ILogger logger, Uri endpoint, string protocol);
}
