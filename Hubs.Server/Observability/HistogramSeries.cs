namespace Hubs.Server.Observability;

/// <summary>
/// One histogram series: a count per bucket (upper bounds inclusive, as Prometheus' <c>le</c>) plus one for
/// values above the last bound, and the sum. The exposed <c>_count</c> is the sum of the bucket counts, so
/// it always equals the <c>+Inf</c> bucket even while a measurement is being recorded.
/// </summary>
internal sealed class HistogramSeries(TagSet tags, double[] bounds)
{
    private readonly long[] _counts = new long[bounds.Length + 1];
    private double _sum;

    public TagSet Tags { get; } = tags;

    public double[] Bounds { get; } = bounds;

    public double Sum => Volatile.Read(ref _sum);

    public void Record(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        var index = Array.BinarySearch(Bounds, value);
        if (index < 0)
        {
            index = ~index;
        }

        Interlocked.Increment(ref _counts[index]);

        var current = Volatile.Read(ref _sum);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _sum, current + value, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Copies the per-bucket (not cumulative) counts; the last element is the overflow bucket.</summary>
    public void CopyCounts(Span<long> destination)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            destination[i] = Interlocked.Read(ref _counts[i]);
        }
    }
}
