namespace Hubs.Server.Observability;

/// <summary>Settings of the <c>Observability</c> configuration section.</summary>
internal sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    /// <summary>The name this instance reports in <c>/health</c>; the machine (container) name when empty.</summary>
    public string? Instance { get; set; }

    /// <summary>
    /// Most label sets kept per instrument by the Prometheus exporter. Later label sets are folded into one
    /// series labelled <c>otel_metric_overflow="true"</c>, as the OpenTelemetry SDK does, so memory stays bounded.
    /// </summary>
    public int MaxSeriesPerInstrument { get; set; } = 1000;

    /// <summary>Projects given their own <c>project_id</c> label in <c>websocket_subscriptions_by_project</c> (the busiest ones); the rest add up under <c>other</c>.</summary>
    public int MaxProjectLabels { get; set; } = 100;

    /// <summary>Distinct values kept for free-form labels (<c>type</c>, <c>event_type</c>, <c>error_type</c>, <c>reason</c>); later values are reported as <c>other</c>.</summary>
    public int MaxLabelValues { get; set; } = 64;

    /// <summary>Also export the runtime's <c>System.Runtime</c> meter (GC, CPU time, working set, thread pool).</summary>
    public bool IncludeRuntimeMetrics { get; set; } = true;

    /// <summary>More meters to export (for example <c>Microsoft.AspNetCore.Server.Kestrel</c>).</summary>
    public IList<string> AdditionalMeters { get; } = [];
}
