using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Hubs.Server.Scaleout;

/// <summary>
/// A history position, in the Redis Streams format <c>&lt;milliseconds&gt;-&lt;sequence&gt;</c>. The in-memory log
/// uses the same format so that ids mean the same with and without Redis.
/// </summary>
internal readonly record struct StreamId(long Milliseconds, long Sequence) : IComparable<StreamId>
{
    public static StreamId Zero => default;

    public int CompareTo(StreamId other)
    {
        var byTime = Milliseconds.CompareTo(other.Milliseconds);
        return byTime != 0 ? byTime : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator <(StreamId left, StreamId right) => left.CompareTo(right) < 0;

    public static bool operator >(StreamId left, StreamId right) => left.CompareTo(right) > 0;

    public static bool operator <=(StreamId left, StreamId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(StreamId left, StreamId right) => left.CompareTo(right) >= 0;

    public static bool TryParse([NotNullWhen(true)] string? text, out StreamId id)
    {
        id = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var msPart = dash < 0 ? text.AsSpan() : text.AsSpan(0, dash);
        var seqPart = dash < 0 ? "0".AsSpan() : text.AsSpan(dash + 1);
        if (!long.TryParse(msPart, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || !long.TryParse(seqPart, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return false;
        }

        id = new StreamId(ms, seq);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Milliseconds}-{Sequence}");
}
