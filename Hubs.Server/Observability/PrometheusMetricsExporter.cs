using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Observability;

/// <summary>
/// A small Prometheus exporter of our own (the OpenTelemetry one does not restore here): a
/// <see cref="MeterListener"/> that keeps cumulative counters and histograms per label set and renders
/// the text format on demand. It collects the <c>Hubs</c> meter of this application's
/// <see cref="IMeterFactory"/> only (several apps in one test process must not see each other's numbers),
/// the runtime's <c>System.Runtime</c> meter unless disabled, and any meter named in
/// <c>Observability:AdditionalMeters</c>.
/// </summary>
internal sealed class PrometheusMetricsExporter : IMetricsExporter, IDisposable
{
    private const string RuntimeMeterName = "System.Runtime";

    private readonly IMeterFactory _meterFactory;
    private readonly ObservabilityOptions _options;
    private readonly ILogger<PrometheusMetricsExporter> _logger;
    private readonly HashSet<string> _meters;
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly ConcurrentDictionary<string, byte> _duplicateNamesReported = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _collectGate = new(1, 1);
    private readonly MeterListener _listener;

    public PrometheusMetricsExporter(IMeterFactory meterFactory, IOptions<ObservabilityOptions> options, ILogger<PrometheusMetricsExporter> logger)
    {
        _meterFactory = meterFactory;
        _options = options.Value;
        _logger = logger;
        _meters = new HashSet<string>(_options.AdditionalMeters, StringComparer.Ordinal) { HubsMetrics.MeterName };
        if (_options.IncludeRuntimeMetrics)
        {
            _meters.Add(RuntimeMeterName);
        }

        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _),
        };
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((InstrumentState)state!).Record((double)value, tags));
        _listener.Start();
    }

    public string ContentType => PrometheusText.ContentType;

    public async Task WriteAsync(Stream destination, CancellationToken cancellationToken)
    {
        var text = await CollectAsync(cancellationToken);
        await destination.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    /// <summary>Runs the observable callbacks and renders every family, sorted by name.</summary>
    public async Task<string> CollectAsync(CancellationToken cancellationToken)
    {
        // One collection at a time: observed series are cleared and refilled per collection.
        await _collectGate.WaitAsync(cancellationToken);
        try
        {
            var states = _instruments.Values.ToArray();
            foreach (var state in states)
            {
                state.BeginCollection();
            }

            _listener.RecordObservableInstruments();

            Array.Sort(states, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            var builder = new StringBuilder(16 * 1024);
            string? previous = null;
            foreach (var state in states)
            {
                if (state.Name == previous)
                {
                    ReportDuplicate(state);
                    continue;
                }

                previous = state.Name;
                state.Write(builder);
            }

            return builder.ToString();
        }
        finally
        {
            _collectGate.Release();
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _collectGate.Dispose();
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        var meter = instrument.Meter;
        if (!_meters.Contains(meter.Name))
        {
            return;
        }

        // Meters from a factory carry it as their scope; the runtime's meter has none.
        if (meter.Scope is not null && !ReferenceEquals(meter.Scope, _meterFactory))
        {
            return;
        }

        var state = InstrumentState.Create(instrument, _options.MaxSeriesPerInstrument, OnOverflow);
        _instruments[instrument] = state;
        listener.EnableMeasurementEvents(instrument, state);
    }

    private void OnOverflow(InstrumentState state) =>
        ObservabilityLog.SeriesLimitReached(_logger, state.Name, _options.MaxSeriesPerInstrument);

    private void ReportDuplicate(InstrumentState state)
    {
        if (_duplicateNamesReported.TryAdd(state.Name, 0))
        {
            ObservabilityLog.DuplicateMetricName(_logger, state.Name, state.Instrument.Meter.Name);
        }
    }
}
