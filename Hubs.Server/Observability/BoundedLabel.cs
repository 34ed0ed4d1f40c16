using System.Collections.Concurrent;

namespace Hubs.Server.Observability;

/// <summary>
/// Caps the distinct values of one label: every value is a time series in Prometheus, so a label fed from
/// caller data (an event type a backend invents, an error text) must not grow without end.
/// The first <c>limit</c> values keep their name; later ones are reported as <see cref="Other"/>.
/// </summary>
internal sealed class BoundedLabel(int limit)
{
    public const string Other = "other";
    public const string Unknown = "unknown";

    // Long values are almost always data, not a category.
    private const int MaxValueLength = 64;

    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);

    public string Bound(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Unknown;
        }

        if (_values.TryGetValue(value, out var known))
        {
            return known;
        }

        if (_values.Count >= limit || value.Length > MaxValueLength)
        {
            return Other;
        }

        return _values.GetOrAdd(value, value);
    }
}
