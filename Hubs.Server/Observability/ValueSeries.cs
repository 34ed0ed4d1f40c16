namespace Hubs.Server.Observability;

/// <summary>One counter or gauge series: a running sum, or the last value for gauges and observed instruments.</summary>
internal sealed class ValueSeries(TagSet tags)
{
    private double _value;

    public TagSet Tags { get; } = tags;

    public double Value => Volatile.Read(ref _value);

    public void Add(double delta)
    {
        var current = Volatile.Read(ref _value);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _value, current + delta, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    public void Set(double value) => Volatile.Write(ref _value, value);
}
