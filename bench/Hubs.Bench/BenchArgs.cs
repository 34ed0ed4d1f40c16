using System.Globalization;

namespace Hubs.Bench;

/// <summary>"--key value" arguments; every key has a default so scenarios run with no arguments at all.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public BenchArgs(IEnumerable<string> args)
    {
        string? key = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (key is not null)
                {
                    _values[key] = "true";
                }

                key = arg[2..];
            }
            else if (key is not null)
            {
                _values[key] = arg;
                key = null;
            }
        }

        if (key is not null)
        {
            _values[key] = "true";
        }
    }

    public string Get(string key, string fallback) => _values.TryGetValue(key, out var v) ? v : fallback;

    public string? Find(string key) => _values.GetValueOrDefault(key);

    public int Int(string key, int fallback) => _values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string key, double fallback) => _values.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public IReadOnlyList<int> Pids(string key = "server-pids") =>
        Get(key, string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
}
