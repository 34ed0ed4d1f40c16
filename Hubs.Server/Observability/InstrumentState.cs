using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace Hubs.Server.Observability;

/// <summary>
/// What the Prometheus exporter keeps for one instrument: its series, one per label set, at most
/// <c>maxSeries</c> of them (later label sets share the overflow series). Synchronous instruments are
/// cumulative since the start; observable ones hold what their callbacks reported at the last collection.
/// </summary>
internal sealed class InstrumentState
{
    private readonly ConcurrentDictionary<TagSet, ValueSeries> _values = new(TagSetComparer.Instance);
    private readonly ConcurrentDictionary<TagSet, HistogramSeries> _histograms = new(TagSetComparer.Instance);
    private readonly int _maxSeries;
    private readonly bool _lastValue;
    private readonly Action<InstrumentState> _onOverflow;
    private int _overflowReported;

    private InstrumentState(Instrument instrument, MetricKind kind, bool lastValue, double[] bounds, int maxSeries, Action<InstrumentState> onOverflow)
    {
        Instrument = instrument;
        Kind = kind;
        Name = PrometheusText.MetricName(instrument, kind);
        Bounds = bounds;
        _lastValue = lastValue;
        _maxSeries = maxSeries;
        _onOverflow = onOverflow;
    }

    public Instrument Instrument { get; }

    public MetricKind Kind { get; }

    public string Name { get; }

    public double[] Bounds { get; }

    public bool IsObservable => Instrument.IsObservable;

    /// <summary>OpenTelemetry's default explicit buckets, for histograms that give no advice.</summary>
    internal static readonly double[] DefaultBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    public static InstrumentState Create(Instrument instrument, int maxSeries, Action<InstrumentState> onOverflow)
    {
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        var (kind, lastValue) = definition switch
        {
            _ when definition == typeof(Counter<>) => (MetricKind.Counter, false),
            _ when definition == typeof(UpDownCounter<>) => (MetricKind.Gauge, false),
            _ when definition == typeof(Histogram<>) => (MetricKind.Histogram, false),
            _ when definition == typeof(ObservableCounter<>) => (MetricKind.Counter, true),
            _ => (MetricKind.Gauge, true),
        };

        var bounds = kind == MetricKind.Histogram ? AdvisedBounds(instrument) ?? DefaultBounds : [];
        return new InstrumentState(instrument, kind, lastValue, bounds, maxSeries, onOverflow);
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (Kind == MetricKind.Histogram)
        {
            HistogramFor(tags).Record(value);
            return;
        }

        var series = ValueFor(tags);
        if (_lastValue)
        {
            series.Set(value);
        }
        else
        {
            series.Add(value);
        }
    }

    /// <summary>Observed instruments report afresh at every collection: series not observed this time disappear.</summary>
    public void BeginCollection()
    {
        if (IsObservable)
        {
            _values.Clear();
        }
    }

    public void Write(StringBuilder builder)
    {
        PrometheusText.AppendHelp(builder, Name, Instrument.Description);
        PrometheusText.AppendType(builder, Name, Kind);
        if (Kind == MetricKind.Histogram)
        {
            WriteHistograms(builder);
            return;
        }

        var values = _values.Values.ToArray();
        Array.Sort(values, static (a, b) => TagSet.Compare(a.Tags, b.Tags));
        foreach (var series in values)
        {
            PrometheusText.AppendSample(builder, Name, series.Tags, series.Value);
        }
    }

    private void WriteHistograms(StringBuilder builder)
    {
        var bucketName = Name + "_bucket";
        Span<long> counts = stackalloc long[Bounds.Length + 1];
        var histograms = _histograms.Values.ToArray();
        Array.Sort(histograms, static (a, b) => TagSet.Compare(a.Tags, b.Tags));
        foreach (var series in histograms)
        {
            series.CopyCounts(counts);
            long cumulative = 0;
            for (var i = 0; i < Bounds.Length; i++)
            {
                cumulative += counts[i];
                PrometheusText.AppendSample(builder, bucketName, series.Tags, cumulative, "le", PrometheusText.FormatValue(Bounds[i]));
            }

            cumulative += counts[Bounds.Length];
            PrometheusText.AppendSample(builder, bucketName, series.Tags, cumulative, "le", "+Inf");
            PrometheusText.AppendSample(builder, Name + "_sum", series.Tags, series.Sum);
            PrometheusText.AppendSample(builder, Name + "_count", series.Tags, cumulative);
        }
    }

    private ValueSeries ValueFor(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var lookup = _values.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
        if (lookup.TryGetValue(tags, out var series))
        {
            return series;
        }

        var key = NewKey(_values.Count, tags);
        return _values.GetOrAdd(key, static k => new ValueSeries(k));
    }

    private HistogramSeries HistogramFor(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var lookup = _histograms.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
        if (lookup.TryGetValue(tags, out var series))
        {
            return series;
        }

        var key = NewKey(_histograms.Count, tags);
        return _histograms.GetOrAdd(key, static (k, bounds) => new HistogramSeries(k, bounds), Bounds);
    }

    private TagSet NewKey(int count, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // The overflow series itself is the one series allowed past the limit.
        if (count < _maxSeries)
        {
            return TagSet.FromSpan(tags);
        }

        if (Interlocked.Exchange(ref _overflowReported, 1) == 0)
        {
            _onOverflow(this);
        }

        return TagSet.Overflow;
    }

    private static double[]? AdvisedBounds(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
        Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        _ => null,
    };
}
