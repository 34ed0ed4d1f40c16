namespace Hubs.Server.Observability;

/// <summary>
/// Writes the current metrics for a scrape of <c>/metrics</c>. The seam where the OpenTelemetry Prometheus
/// exporter would go if it could be restored here: the instruments (<see cref="HubsMetrics"/>) do not know
/// who reads them, so replacing <see cref="PrometheusMetricsExporter"/> touches only this folder.
/// </summary>
internal interface IMetricsExporter
{
    /// <summary>The response content type, for example <c>text/plain; version=0.0.4; charset=utf-8</c>.</summary>
    string ContentType { get; }

    Task WriteAsync(Stream destination, CancellationToken cancellationToken);
}
