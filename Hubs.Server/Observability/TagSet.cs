using System.Globalization;

namespace Hubs.Server.Observability;

/// <summary>
/// One label set of a series: tags sorted by key with values as text. Equality ignores tag order, so
/// <c>(a, b)</c> and <c>(b, a)</c> are one series, as in Prometheus.
/// </summary>
internal sealed class TagSet
{
    public static readonly TagSet Empty = new([], 0);

    public static readonly TagSet Overflow = FromSpan([new KeyValuePair<string, object?>("otel_metric_overflow", "true")]);

    private TagSet(KeyValuePair<string, string>[] tags, int hash)
    {
        Tags = tags;
        Hash = hash;
    }

    public KeyValuePair<string, string>[] Tags { get; }

    public int Hash { get; }

    public static TagSet FromSpan(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return Empty;
        }

        var copy = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            copy[i] = new KeyValuePair<string, string>(tags[i].Key, ValueText(tags[i].Value));
        }

        Array.Sort(copy, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new TagSet(copy, HashOf(tags));
    }

    /// <summary>Order-independent, and equal for a span and the set made from it.</summary>
    public static int HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = tags.Length;
        foreach (var tag in tags)
        {
            hash += HashCode.Combine(tag.Key, tag.Value is string s ? s : ValueText(tag.Value));
        }

        return hash;
    }

    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != Tags.Length)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            if (!Contains(tag))
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(TagSet other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other.Hash != Hash || other.Tags.Length != Tags.Length)
        {
            return false;
        }

        for (var i = 0; i < Tags.Length; i++)
        {
            if (!string.Equals(Tags[i].Key, other.Tags[i].Key, StringComparison.Ordinal)
                || !string.Equals(Tags[i].Value, other.Tags[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Orders label sets for a stable exposition: by key, then value, tag by tag.</summary>
    public static int Compare(TagSet x, TagSet y)
    {
        var shared = Math.Min(x.Tags.Length, y.Tags.Length);
        for (var i = 0; i < shared; i++)
        {
            var order = string.CompareOrdinal(x.Tags[i].Key, y.Tags[i].Key);
            if (order == 0)
            {
                order = string.CompareOrdinal(x.Tags[i].Value, y.Tags[i].Value);
            }

            if (order != 0)
            {
                return order;
            }
        }

        return x.Tags.Length.CompareTo(y.Tags.Length);
    }

    internal static string ValueText(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private bool Contains(KeyValuePair<string, object?> tag)
    {
        foreach (var own in Tags)
        {
            if (string.Equals(own.Key, tag.Key, StringComparison.Ordinal))
            {
                return tag.Value is string s
                    ? string.Equals(own.Value, s, StringComparison.Ordinal)
                    : string.Equals(own.Value, ValueText(tag.Value), StringComparison.Ordinal);
            }
        }

        return false;
    }
}
