using System.Diagnostics.Metrics;
using System.Text;
using Hubs.Server.Observability;

namespace Hubs.Tests.Observability;

public sealed class PrometheusTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("two\nlines", "two\\nlines")]
    [InlineData("all \\ \" \n", "all \\\\ \\\" \\n")]
    public void EscapeLabelValue_SpecialCharacters_EscapedAsTextFormatRequires(string value, string expected) =>
        PrometheusText.EscapeLabelValue(value).Should().Be(expected);

    [Fact]
    public void AppendHelp_BackslashAndNewline_EscapedButQuotesKept()
    {
        var builder = new StringBuilder();
        PrometheusText.AppendHelp(builder, "m", "a \\ b\nc \"d\"");
        builder.ToString().Should().Be("# HELP m a \\\\ b\\nc \"d\"\n");
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.005, "0.005")]
    [InlineData(3600d, "3600")]
    [InlineData(-1.5, "-1.5")]
    public void FormatValue_SpecialAndOrdinaryNumbers_FormattedInvariant(double value, string expected) =>
        PrometheusText.FormatValue(value).Should().Be(expected);

    [Fact]
    public void AppendSample_LabelsAndExtraLabel_WrittenInOrderWithEscaping()
    {
        var tags = TagSet.FromSpan([new("z", "last"), new("a", "q\"uote")]);
        var builder = new StringBuilder();
        PrometheusText.AppendSample(builder, "m_bucket", tags, 2, "le", "0.5");
        builder.ToString().Should().Be("m_bucket{a=\"q\\\"uote\",z=\"last\",le=\"0.5\"} 2\n");
    }

    [Theory]
    [InlineData("dotnet.gc.collections", "{collection}", true, "dotnet_gc_collections_total")]
    [InlineData("dotnet.process.cpu.time", "s", true, "dotnet_process_cpu_time_seconds_total")]
    [InlineData("dotnet.process.memory.working_set", "By", false, "dotnet_process_memory_working_set_bytes")]
    [InlineData("websocket_total_connections", null, true, "websocket_total_connections")]
    [InlineData("websocket_connections_total", null, true, "websocket_connections_total")]
    [InlineData("websocket_message_latency_milliseconds", "ms", false, "websocket_message_latency_milliseconds")]
    public void MetricName_OtelStyleConverted_PrometheusStyleKeptVerbatim(string name, string? unit, bool counter, string expected)
    {
        using var meter = new Meter("naming-test");
        Instrument instrument = counter
            ? meter.CreateCounter<long>(name, unit)
            : meter.CreateUpDownCounter<long>(name, unit);
        PrometheusText.MetricName(instrument, counter ? MetricKind.Counter : MetricKind.Gauge).Should().Be(expected);
    }

    [Theory]
    [InlineData("gc.heap.generation", "gc_heap_generation")]
    [InlineData("http.route:x", "http_route_x")]
    [InlineData("9lives", "_9lives")]
    public void LabelName_InvalidCharacters_Replaced(string key, string expected) =>
        PrometheusText.LabelName(key).Should().Be(expected);
}
