using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Hubs.Server.Observability;

/// <summary>
/// Pushes the <c>Hubs</c> meter to an OpenTelemetry collector over OTLP while the host runs.
/// OpenTelemetry.Extensions.Hosting does not restore here, so the meter provider is built and disposed by
/// hand; disposing it flushes the last export.
/// </summary>
internal sealed class OtlpMetricsService(IOptions<OtlpOptions> options, IOptions<ObservabilityOptions> observability, ILogger<OtlpMetricsService> logger) : IHostedService, IDisposable
{
    private MeterProvider? _provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Endpoint is null)
        {
            return Task.CompletedTask;
        }

        var http = settings.Protocol == OtlpOptions.HttpProtobuf;
        var endpoint = http ? WithSignalPath(settings.Endpoint) : settings.Endpoint;
        var builder = Sdk.CreateMeterProviderBuilder().AddMeter(HubsMetrics.MeterName);
        foreach (var meter in observability.Value.AdditionalMeters)
        {
            builder.AddMeter(meter);
        }

        _provider = builder
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = endpoint;
                exporter.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = settings.ExportIntervalMilliseconds;
            })
            .Build();
        ObservabilityLog.OtlpEnabled(logger, endpoint, settings.Protocol);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _provider, null)?.Dispose();
    }

    /// <summary>Like <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: a base address gets <c>/v1/metrics</c> appended.</summary>
    private static Uri WithSignalPath(Uri endpoint) =>
        endpoint.AbsolutePath is "" or "/" ? new Uri(endpoint, "/v1/metrics") : endpoint;
}
