namespace Hubs.Server.Observability;

/// <summary>The Prometheus type an instrument is exposed as.</summary>
internal enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}
