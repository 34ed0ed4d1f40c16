using System.Diagnostics.Metrics;
using Hubs.Server.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hubs.Tests.Observability;

public sealed class PrometheusMetricsExporterTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    private IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

    private PrometheusMetricsExporter Exporter(int maxSeries = 1000) => new(
        Factory,
        Options.Create(new ObservabilityOptions { IncludeRuntimeMetrics = false, MaxSeriesPerInstrument = maxSeries }),
        NullLogger<PrometheusMetricsExporter>.Instance);

    [Fact]
    public async Task Collect_CounterWithLabels_SumsPerLabelSetRegardlessOfTagOrder()
    {
        using var exporter = Exporter();
        var counter = Factory.Create("Hubs").CreateCounter<long>("test_requests_total", description: "Requests");

        counter.Add(2, new("b", "x"), new("a", "1"));
        counter.Add(1, new("a", "1"), new("b", "x"));
        counter.Add(5, new("a", "2"), new("b", "x"));

        var text = await exporter.CollectAsync(CancellationToken.None);
        text.Should().Be(
            "# HELP test_requests_total Requests\n" +
            "# TYPE test_requests_total counter\n" +
            "test_requests_total{a=\"1\",b=\"x\"} 3\n" +
            "test_requests_total{a=\"2\",b=\"x\"} 5\n");
    }

    [Fact]
    public async Task Collect_Histogram_WritesCumulativeBucketsInfSumAndCount()
    {
        using var exporter = Exporter();
        var histogram = Factory.Create("Hubs").CreateHistogram(
            "test_latency_seconds", "s", "Latency", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5] });

        histogram.Record(0.5, new KeyValuePair<string, object?>("op", "a"));
        histogram.Record(1, new KeyValuePair<string, object?>("op", "a")); // upper bounds are inclusive
        histogram.Record(3, new KeyValuePair<string, object?>("op", "a"));
        histogram.Record(10, new KeyValuePair<string, object?>("op", "a"));

        var text = await exporter.CollectAsync(CancellationToken.None);
        text.Should().Be(
            "# HELP test_latency_seconds Latency\n" +
            "# TYPE test_latency_seconds histogram\n" +
            "test_latency_seconds_bucket{op=\"a\",le=\"1\"} 2\n" +
            "test_latency_seconds_bucket{op=\"a\",le=\"5\"} 3\n" +
            "test_latency_seconds_bucket{op=\"a\",le=\"+Inf\"} 4\n" +
            "test_latency_seconds_sum{op=\"a\"} 14.5\n" +
            "test_latency_seconds_count{op=\"a\"} 4\n");
    }

    [Fact]
    public async Task Collect_HistogramWithoutAdvice_UsesOpenTelemetryDefaultBuckets()
    {
        using var exporter = Exporter();
        Factory.Create("Hubs").CreateHistogram<long>("test_sizes").Record(7);

        var scrape = MetricsScrape.Parse(await exporter.CollectAsync(CancellationToken.None));
        scrape.LabelSets("test_sizes_bucket").Select(l => l["le"]).Should().Equal(
            "0", "5", "10", "25", "50", "75", "100", "250", "500", "750", "1000", "2500", "5000", "7500", "10000", "+Inf");
        scrape.Value("test_sizes_bucket", ("le", "10")).Should().Be(1);
        scrape.Value("test_sizes_bucket", ("le", "5")).Should().Be(0);
    }

    [Fact]
    public async Task Collect_LabelValueWithQuotesAndNewline_IsEscaped()
    {
        using var exporter = Exporter();
        Factory.Create("Hubs").CreateCounter<long>("test_errors_total").Add(1, new KeyValuePair<string, object?>("why", "a \"b\"\nc\\d"));

        var text = await exporter.CollectAsync(CancellationToken.None);
        text.Should().Contain("test_errors_total{why=\"a \\\"b\\\"\\nc\\\\d\"} 1\n");
    }

    [Fact]
    public async Task Collect_UpDownCounterAndObservableGauge_ExposedAsGauges()
    {
        using var exporter = Exporter();
        var meter = Factory.Create("Hubs");
        var active = meter.CreateUpDownCounter<long>("test_active");
        meter.CreateObservableGauge("test_temperature", () => 21.5);
        active.Add(3);
        active.Add(-1);

        var scrape = MetricsScrape.Parse(await exporter.CollectAsync(CancellationToken.None));
        scrape.Types["test_active"].Should().Be("gauge");
        scrape.Types["test_temperature"].Should().Be("gauge");
        scrape.Value("test_active").Should().Be(2);
        scrape.Value("test_temperature").Should().Be(21.5);
    }

    [Fact]
    public async Task Collect_ObservedSeriesGone_DisappearsFromNextScrape()
    {
        using var exporter = Exporter();
        var projects = new List<string> { "p1", "p2" };
        Factory.Create("Hubs").CreateObservableGauge(
            "test_subscriptions", () => projects.Select(p => new Measurement<long>(1, new KeyValuePair<string, object?>("project_id", p))).ToArray());

        MetricsScrape.Parse(await exporter.CollectAsync(CancellationToken.None)).LabelSets("test_subscriptions").Should().HaveCount(2);
        projects.Remove("p1");
        var second = MetricsScrape.Parse(await exporter.CollectAsync(CancellationToken.None));
        second.LabelSets("test_subscriptions").Select(l => l["project_id"]).Should().Equal("p2");
    }

    [Fact]
    public async Task Collect_MoreLabelSetsThanLimit_ExtraFoldedIntoOverflowSeries()
    {
        using var exporter = Exporter(maxSeries: 3);
        var counter = Factory.Create("Hubs").CreateCounter<long>("test_by_user_total");
        for (var i = 0; i < 10; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("user", "u" + i));
        }

        var scrape = MetricsScrape.Parse(await exporter.CollectAsync(CancellationToken.None));
        scrape.LabelSets("test_by_user_total").Should().HaveCount(4);
        scrape.Value("test_by_user_total", ("otel_metric_overflow", "true")).Should().Be(7);
        scrape.Value("test_by_user_total").Should().Be(10);
    }

    [Fact]
    public async Task Collect_HubsMeterOfAnotherFactory_NotExported()
    {
        using var exporter = Exporter();
        using var otherServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        otherServices.GetRequiredService<IMeterFactory>().Create("Hubs").CreateCounter<long>("test_foreign_total").Add(1);
        Factory.Create("Hubs").CreateCounter<long>("test_own_total").Add(1);

        var text = await exporter.CollectAsync(CancellationToken.None);
        text.Should().Contain("test_own_total 1").And.NotContain("test_foreign_total");
    }

    [Fact]
    public async Task Collect_MeterNotConfigured_NotExported()
    {
        using var exporter = Exporter();
        Factory.Create("Somebody.Else").CreateCounter<long>("test_other_total").Add(1);

        (await exporter.CollectAsync(CancellationToken.None)).Should().NotContain("test_other_total");
    }

    [Fact]
    public async Task Collect_RuntimeMetricsOn_IncludesProcessCpuAndMemory()
    {
        using var exporter = new PrometheusMetricsExporter(
            Factory, Options.Create(new ObservabilityOptions()), NullLogger<PrometheusMetricsExporter>.Instance);

        var scrape = MetricsScrape.Parse(await exporter.CollectAsync(CancellationToken.None));
        scrape.Types.Should().Contain("dotnet_process_cpu_time_seconds_total", "counter");
        scrape.Value("dotnet_process_memory_working_set_bytes").Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task WriteAsync_Stream_WritesUtf8Exposition()
    {
        using var exporter = Exporter();
        Factory.Create("Hubs").CreateCounter<long>("test_written_total").Add(4, new KeyValuePair<string, object?>("name", "é"));
        using var stream = new MemoryStream();

        await exporter.WriteAsync(stream, CancellationToken.None);

        System.Text.Encoding.UTF8.GetString(stream.ToArray()).Should().Contain("test_written_total{name=\"é\"} 4\n");
        exporter.ContentType.Should().Be("text/plain; version=0.0.4; charset=utf-8");
    }
}
