using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Observability;

/// <summary>Runs Prometheus' own validator (Debian package <c>prometheus</c>); a missing promtool fails the test.</summary>
public static class Promtool
{
    /// <summary>
    /// Lint findings that come from names we do not own: the seed 003/004 metric names, kept verbatim because
    /// their dashboards and alerts query them, and the runtime's <c>*.count</c> gauges as OpenTelemetry names them.
    /// promtool exits 3 for lint findings only and 1 for a format error.
    /// </summary>
    public static readonly string[] AcceptedLintFindings =
    [
        "websocket_message_latency_milliseconds use base unit \"seconds\" instead of \"milliseconds\"",
        "websocket_heartbeat_latency_milliseconds use base unit \"seconds\" instead of \"milliseconds\"",
        "websocket_subscriptions_total non-counter metrics should not have \"_total\" suffix",
        "websocket_total_connections counter metrics should have \"_total\" suffix",
    ];

    public static async Task<ExternalTool.Result> CheckMetricsAsync(string exposition)
    {
        var promtool = ExternalTool.Require("promtool");
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, exposition);
            return await ExternalTool.RunAsync("/bin/sh", ["-c", "exec \"$0\" check metrics < \"$1\"", promtool, file]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The findings of a <c>check metrics</c> run that are not in <see cref="AcceptedLintFindings"/>.</summary>
    public static IEnumerable<string> UnexpectedFindings(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !AcceptedLintFindings.Contains(line))
            .Where(line => !(line.StartsWith("dotnet_", StringComparison.Ordinal) && line.EndsWith("should not have \"_count\" suffix", StringComparison.Ordinal)));

    public static Task<ExternalTool.Result> RunAsync(params string[] arguments) =>
        ExternalTool.RunAsync(ExternalTool.Require("promtool"), arguments, ExternalTool.RepositoryRoot());
}
