using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Hubs.Server.Observability;

/// <summary>
/// The Prometheus text exposition format, version 0.0.4: names, escaping and numbers.
/// <list type="bullet">
/// <item>Names already in Prometheus form (no dots, as every <c>Hubs</c> instrument) are kept verbatim, because
/// the seed dashboards and alerts query those exact names.</item>
/// <item>OpenTelemetry-style names (<c>dotnet.gc.collections</c>) follow the OpenTelemetry Prometheus exporter:
/// dots become underscores, the unit becomes a suffix (<c>_seconds</c>, <c>_bytes</c>), counters end in <c>_total</c>.</item>
/// <item>In HELP, <c>\</c> and line feeds are escaped; in label values also <c>"</c>.</item>
/// </list>
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string MetricName(Instrument instrument, MetricKind kind)
    {
        var raw = instrument.Name;
        if (!raw.Contains('.', StringComparison.Ordinal))
        {
            return Sanitize(raw);
        }

        var name = Sanitize(raw);
        var unit = UnitSuffix(instrument.Unit);
        if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name += "_" + unit;
        }

        if (kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    /// <summary>Replaces every character outside <c>[a-zA-Z0-9_:]</c> by <c>_</c> and keeps the first from being a digit.</summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            var valid = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or ':';
            var next = valid ? c : '_';
            if (next == '_' && builder.Length > 0 && builder[^1] == '_')
            {
                continue;
            }

            builder.Append(next);
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    /// <summary>Label names may not contain <c>:</c> either.</summary>
    public static string LabelName(string key) => Sanitize(key).Replace(':', '_');

    public static void AppendHelp(StringBuilder builder, string name, string? help)
    {
        builder.Append("# HELP ").Append(name).Append(' ');
        foreach (var c in string.IsNullOrWhiteSpace(help) ? name : help)
        {
            _ = c switch
            {
                '\\' => builder.Append(@"\\"),
                '\n' => builder.Append(@"\n"),
                _ => builder.Append(c),
            };
        }

        builder.Append('\n');
    }

    public static void AppendType(StringBuilder builder, string name, MetricKind kind) =>
        builder.Append("# TYPE ").Append(name).Append(' ').Append(kind switch
        {
            MetricKind.Counter => "counter",
            MetricKind.Gauge => "gauge",
            _ => "histogram",
        }).Append('\n');

    /// <summary>Appends <c>name{labels,extra} value</c>; <paramref name="extraLabel"/> is <c>le</c> for histogram buckets.</summary>
    public static void AppendSample(
        StringBuilder builder, string name, TagSet tags, double value, string? extraLabel = null, string? extraValue = null)
    {
        builder.Append(name);
        if (tags.Tags.Length > 0 || extraLabel is not null)
        {
            builder.Append('{');
            var first = true;
            foreach (var tag in tags.Tags)
            {
                if (!first)
                {
                    builder.Append(',');
                }

                first = false;
                AppendLabel(builder, LabelName(tag.Key), tag.Value);
            }

            if (extraLabel is not null)
            {
                if (!first)
                {
                    builder.Append(',');
                }

                AppendLabel(builder, extraLabel, extraValue ?? string.Empty);
            }

            builder.Append('}');
        }

        builder.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    public static string FormatValue(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        return double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);
    }

    public static string EscapeLabelValue(string value)
    {
        if (value.AsSpan().IndexOfAny('\\', '"', '\n') < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        AppendEscapedLabelValue(builder, value);
        return builder.ToString();
    }

    private static void AppendLabel(StringBuilder builder, string name, string value)
    {
        builder.Append(name).Append("=\"");
        AppendEscapedLabelValue(builder, value);
        builder.Append('"');
    }

    private static void AppendEscapedLabelValue(StringBuilder builder, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => builder.Append(@"\\"),
                '"' => builder.Append("\\\""),
                '\n' => builder.Append(@"\n"),
                _ => builder.Append(c),
            };
        }
    }

    // UCUM units as the OpenTelemetry Prometheus exporter maps them; annotations ({connection}) add nothing.
    private static string UnitSuffix(string? unit) => unit switch
    {
        null or "" or "1" => string.Empty,
        "s" => "seconds",
        "ms" => "milliseconds",
        "By" => "bytes",
        "%" => "percent",
        _ when unit.StartsWith('{') => string.Empty,
        _ => Sanitize(unit),
    };
}
