using System.Text.Json.Serialization;

namespace Hubs.Bench;

/// <summary>
/// Lock-free latency histogram: 10 µs buckets up to 5 s (beyond that, the last bucket), plus the exact maximum.
/// Many receive threads record into it; workers ship it to the coordinator as sparse pairs.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int BucketMicros = 10;
    private const int Buckets = 500_000;
    private long[] _counts = new long[Buckets];
    private long _maxMicros;
    private long _total;

    public long Total => Volatile.Read(ref _total);

    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }

        var bucket = Math.Min(micros / BucketMicros, Buckets - 1);
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _total);
        var max = Volatile.Read(ref _maxMicros);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxMicros, micros, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>Takes what was recorded so far and starts over.</summary>
    public Snapshot TakeAndReset()
    {
        var counts = Interlocked.Exchange(ref _counts, new long[Buckets]);
        var max = Interlocked.Exchange(ref _maxMicros, 0);
        Interlocked.Exchange(ref _total, 0);
        var sparse = new List<long[]>();
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] != 0)
            {
                sparse.Add([i, counts[i]]);
            }
        }

        return new Snapshot(sparse, max);
    }

    /// <summary>A histogram in transit: [bucket, count] pairs and the maximum in µs.</summary>
    internal sealed record Snapshot(
        [property: JsonPropertyName("b")] List<long[]> Buckets,
        [property: JsonPropertyName("max")] long MaxMicros);

    /// <summary>Merged histograms of all workers, queried for percentiles.</summary>
    internal sealed class Merged
    {
        private readonly SortedDictionary<long, long> _counts = [];

        public long Count { get; private set; }

        public long MaxMicros { get; private set; }

        public void Add(Snapshot snapshot)
        {
            foreach (var pair in snapshot.Buckets)
            {
                _counts[pair[0]] = _counts.GetValueOrDefault(pair[0]) + pair[1];
                Count += pair[1];
            }

            MaxMicros = Math.Max(MaxMicros, snapshot.MaxMicros);
        }

        /// <summary>The upper edge of the bucket holding the percentile, in milliseconds (null with no samples).</summary>
        public double? PercentileMs(double percentile)
        {
            if (Count == 0)
            {
                return null;
            }

            var rank = (long)Math.Ceiling(Count * percentile / 100.0);
            long seen = 0;
            foreach (var (bucket, count) in _counts)
            {
                seen += count;
                if (seen >= rank)
                {
                    return Math.Min((bucket + 1) * BucketMicros, Math.Max(MaxMicros, BucketMicros)) / 1000.0;
                }
            }

            return MaxMicros / 1000.0;
        }
    }
}
