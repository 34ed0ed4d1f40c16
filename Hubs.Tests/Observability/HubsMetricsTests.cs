using Hubs.Server.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hubs.Tests.Observability;

public sealed class HubsMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly PrometheusMetricsExporter _exporter;
    private readonly HubsMetrics _metrics;

    public HubsMetricsTests()
    {
        var options = Options.Create(new ObservabilityOptions { IncludeRuntimeMetrics = false, MaxProjectLabels = 2, MaxLabelValues = 3 });
        var factory = _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        _exporter = new PrometheusMetricsExporter(factory, options, NullLogger<PrometheusMetricsExporter>.Instance);
        _metrics = new HubsMetrics(factory, options, TimeProvider.System);
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _services.Dispose();
    }

    private async Task<MetricsScrape> ScrapeAsync() => MetricsScrape.Parse(await _exporter.CollectAsync(CancellationToken.None));

    [Fact]
    public async Task SubscriptionsByProject_MoreProjectsThanLimit_BusiestKeptRestUnderOther()
    {
        foreach (var (project, count) in new[] { ("a", 1), ("b", 5), ("c", 3), ("d", 2) })
        {
            for (var i = 0; i < count; i++)
            {
                _metrics.SubscriptionAdded(project);
            }
        }

        var scrape = await ScrapeAsync();
        scrape.LabelSets("websocket_subscriptions_by_project").Select(l => l["project_id"]).Should().BeEquivalentTo(["b", "c", "other"]);
        scrape.Value("websocket_subscriptions_by_project", ("project_id", "other")).Should().Be(3);
        scrape.Value("websocket_subscriptions_total").Should().Be(11);
        scrape.Value("websocket_active_subscriptions").Should().Be(11);
    }

    [Fact]
    public async Task SubscriptionRemoved_LastOfProject_ProjectLabelDisappears()
    {
        _metrics.SubscriptionAdded("a");
        _metrics.SubscriptionAdded("b");
        _metrics.SubscriptionRemoved("a");

        var scrape = await ScrapeAsync();
        scrape.LabelSets("websocket_subscriptions_by_project").Select(l => l["project_id"]).Should().Equal("b");
        scrape.Value("websocket_subscriptions_total").Should().Be(1);
    }

    [Fact]
    public async Task MessageError_MoreDistinctTypesThanLimit_LaterOnesCountAsOther()
    {
        foreach (var type in new[] { "parse_error", "validation_error", "send_error", "made_up_1", "made_up_2" })
        {
            _metrics.MessageError(type);
        }

        var scrape = await ScrapeAsync();
        scrape.LabelSets("websocket_message_errors_total").Should().HaveCount(4);
        scrape.Value("websocket_message_errors_total", ("error_type", "other")).Should().Be(2);
    }

    [Fact]
    public async Task ConnectionOpenedThenClosed_CountsActiveAndBothDurationHistograms()
    {
        _metrics.ConnectionOpened("projects", "/hubs/projects");
        _metrics.ConnectionOpened("projects", "/hubs/projects");
        _metrics.ConnectionClosed("projects", "/hubs/projects", TimeSpan.FromSeconds(42));

        var scrape = await ScrapeAsync();
        scrape.Value("websocket_connections_total", ("status", "opened"), ("hub", "projects")).Should().Be(2);
        scrape.Value("websocket_connections_total", ("status", "closed")).Should().Be(1);
        scrape.Value("websocket_active_connections", ("endpoint", "/hubs/projects")).Should().Be(1);
        scrape.Value("websocket_total_connections").Should().Be(2);
        scrape.Value("websocket_connection_duration_seconds_bucket", ("le", "30")).Should().Be(0);
        scrape.Value("websocket_connection_duration_seconds_bucket", ("le", "60")).Should().Be(1);
        scrape.Value("websocket_session_duration_seconds_sum").Should().Be(42);
    }

    [Fact]
    public async Task EventDelivered_RecordsDeliveryLatencyInBothUnitsAndSentMessage()
    {
        _metrics.EventBroadcast("incident_created");
        _metrics.EventDelivered("incident_created", TimeSpan.FromMilliseconds(20));

        var scrape = await ScrapeAsync();
        scrape.Value("websocket_events_broadcast_total", ("event_type", "incident_created")).Should().Be(1);
        scrape.Value("websocket_events_delivered_total", ("event_type", "incident_created")).Should().Be(1);
        scrape.Value("websocket_message_latency_milliseconds_bucket", ("event_type", "incident_created"), ("le", "25")).Should().Be(1);
        scrape.Value("websocket_message_latency_milliseconds_bucket", ("event_type", "incident_created"), ("le", "10")).Should().Be(0);
        scrape.Value("websocket_message_latency_seconds_bucket", ("le", "0.025")).Should().Be(1);
        scrape.Value("websocket_messages_total", ("direction", "sent"), ("type", "incident_created")).Should().Be(1);
        scrape.Value("websocket_messages_sent_total").Should().Be(1);
    }

    [Fact]
    public async Task EventDelivered_SeveralRecipients_CountsEachDelivery()
    {
        _metrics.EventBroadcast("project_update");
        _metrics.EventDelivered("project_update", TimeSpan.FromMilliseconds(7), recipients: 3);

        var scrape = await ScrapeAsync();
        scrape.Value("websocket_events_broadcast_total").Should().Be(1);
        scrape.Value("websocket_events_delivered_total", ("event_type", "project_update")).Should().Be(3);
        scrape.Value("websocket_message_latency_milliseconds_count").Should().Be(3);
        scrape.Value("websocket_message_latency_milliseconds_bucket", ("le", "5")).Should().Be(0);
        scrape.Value("websocket_message_latency_milliseconds_bucket", ("le", "10")).Should().Be(3);
        scrape.Value("websocket_messages_total", ("direction", "sent")).Should().Be(3);
    }

    [Fact]
    public async Task Heartbeats_SentLatencyTimeout_Counted()
    {
        _metrics.HeartbeatSent();
        _metrics.HeartbeatSent();
        _metrics.HeartbeatLatency(TimeSpan.FromMilliseconds(3));
        _metrics.HeartbeatTimeout();

        var scrape = await ScrapeAsync();
        scrape.Value("websocket_heartbeats_sent_total").Should().Be(2);
        scrape.Value("websocket_heartbeat_latency_milliseconds_bucket", ("le", "5")).Should().Be(1);
        scrape.Value("websocket_heartbeat_timeouts_total").Should().Be(1);
    }

    [Fact]
    public void MetricMethods_ExistingSeries_AllocateNothing()
    {
        void Exercise()
        {
            _metrics.ConnectionOpened("projects", "/hubs/projects");
            _metrics.MessageReceived("Subscribe");
            _metrics.MessageSent("project_update");
            _metrics.EventDelivered("incident_created", TimeSpan.FromMilliseconds(3));
            _metrics.MessageError("not_found");
            _metrics.SubscriptionAdded(null);
            _metrics.SubscriptionRemoved(null);
            _metrics.ConnectionClosed("projects", "/hubs/projects", TimeSpan.FromSeconds(2));
        }

        for (var i = 0; i < 200; i++)
        {
            Exercise();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Exercise();
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, "metric calls sit on the fan-out path");
    }
}
