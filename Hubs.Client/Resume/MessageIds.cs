using System.Globalization;

namespace Hubs.Client.Resume;

/// <summary>Orders <c>message_id</c>s (<c>&lt;milliseconds&gt;-&lt;sequence&gt;</c>, the Redis Streams format the server uses).</summary>
internal static class MessageIds
{
    /// <summary>The later of two ids; null counts as before every id.</summary>
    public static string? Max(string? a, string? b)
    {
        if (a is null)
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        return Compare(a, b) >= 0 ? a : b;
    }

    public static int Compare(string a, string b)
    {
        if (TryParse(a, out var am, out var asq) && TryParse(b, out var bm, out var bsq))
        {
            var byTime = am.CompareTo(bm);
            return byTime != 0 ? byTime : asq.CompareTo(bsq);
        }

        // Not the expected format: fall back to a stable order rather than failing a delivery.
        return string.CompareOrdinal(a, b);
    }

    private static bool TryParse(string id, out long milliseconds, out long sequence)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        sequence = 0;
        if (dash < 0)
        {
            return long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out milliseconds);
        }

        return long.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out milliseconds)
            && long.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }
}
