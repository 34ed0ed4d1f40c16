using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hubs.Contracts;
using Hubs.Server;
using Hubs.Server.Observability;
using Hubs.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hubs.Tests.Observability;

/// <summary>The real service on a loopback port: /metrics, the health endpoints, and metrics driven by real hub clients.</summary>
public sealed class ObservabilityEndpointsTests : IAsyncLifetime
{
    /// <summary>Every metric seeds 003 and 004 name, which their dashboards and alerts query.</summary>
    public static readonly string[] SeedMetricNames =
    [
        "websocket_connections_total", "websocket_active_connections", "websocket_connection_duration_seconds",
        "websocket_auth_failures_total", "websocket_subscriptions_total", "websocket_subscriptions_by_project",
        "websocket_subscriptions_per_connection", "websocket_messages_total", "websocket_message_latency_milliseconds",
        "websocket_message_errors_total", "websocket_heartbeats_sent_total", "websocket_heartbeat_latency_milliseconds",
        "websocket_heartbeat_timeouts_total", "websocket_memory_usage_bytes", "websocket_cpu_usage_percent",
        "websocket_total_connections", "websocket_active_subscriptions", "websocket_messages_sent_total",
        "websocket_events_broadcast_total", "websocket_events_delivered_total", "websocket_session_duration_seconds",
        "websocket_message_latency_seconds",
    ];

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private HubsServer _server = null!;

    public async Task InitializeAsync() => _server = await HubsServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<MetricsScrape> ScrapeAsync(string path = "/metrics")
    {
        using var response = await _server.Http.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return MetricsScrape.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task<MetricsScrape> EventuallyAsync(Func<Task<MetricsScrape>> scrape, Func<MetricsScrape, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var current = await scrape();
            if (condition(current))
            {
                return current;
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Gave up waiting for {what}. Last scrape:\n{current.Text}");
            }

            await Task.Delay(50);
        }
    }

    private Task<RawHubConnection> ConnectAsync(string route, CancellationToken cancellationToken) =>
        RawHubConnection.ConnectAsync(_server.WebSocketUri(route), cancellationToken);

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/api/metrics")]
    public async Task Metrics_Get_IsPrometheusTextFormat(string path)
    {
        using var response = await _server.Http.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().Should().StartWith("text/plain; version=0.0.4");
        (await response.Content.ReadAsStringAsync()).Should().Contain("# TYPE websocket_active_connections gauge");
    }

    [Fact]
    public async Task Metrics_FreshInstance_ListsEverySeedMetric()
    {
        var scrape = await ScrapeAsync();

        scrape.Types.Keys.Should().Contain(SeedMetricNames);
        scrape.Types["websocket_connection_duration_seconds"].Should().Be("histogram");
        scrape.Types["websocket_subscriptions_total"].Should().Be("gauge");
        scrape.Types["websocket_total_connections"].Should().Be("counter");
    }

    [Fact]
    public async Task Metrics_AfterRealTraffic_PassPromtoolCheckMetrics()
    {
        using var cts = new CancellationTokenSource(Patience);
        await using (var client = await ConnectAsync(HubRoutes.Projects, cts.Token))
        {
            await client.InvokeAsync("Subscribe", ["p1", null], cts.Token);
            await client.InvokeAsync("Subscribe", ["", null], cts.Token);
        }

        await _server.PublishIncidentAsync("incident_created", new() { Id = "i1", Severity = "P1" });
        var scrape = await EventuallyAsync(() => ScrapeAsync(), s => s.Value("websocket_connection_duration_seconds_count") >= 1, "the connection to close");

        var result = await Promtool.CheckMetricsAsync(scrape.Text);

        result.ExitCode.Should().BeOneOf([0, 3], $"exit code 1 is a format error; promtool said:\n{result.Output}");
        Promtool.UnexpectedFindings(result.Output).Should().BeEmpty($"only the seed names may draw lint findings; promtool said:\n{result.Output}");
    }

    [Fact]
    public async Task ProjectsClient_ConnectsSubscribesAndLeaves_ConnectionAndSubscriptionMetricsMove()
    {
        using var cts = new CancellationTokenSource(Patience);
        var opened = new[] { ("status", "opened"), ("hub", "projects"), ("endpoint", HubRoutes.Projects) };
        var before = await ScrapeAsync();
        before.Value("websocket_active_connections").Should().Be(0);

        var client = await ConnectAsync(HubRoutes.Projects, cts.Token);
        var connected = await EventuallyAsync(() => ScrapeAsync(), s => s.Value("websocket_connections_total", opened) == 1, "the connection to open");
        connected.Value("websocket_active_connections", ("hub", "projects")).Should().Be(1);
        connected.Value("websocket_total_connections").Should().Be(1);
        var health = await _server.Http.GetFromJsonAsync<JsonElement>("/health");
        health.GetProperty("connections").GetInt32().Should().Be(1);
        var websocketHealth = await _server.Http.GetFromJsonAsync<JsonElement>("/health/websocket");
        websocketHealth.GetProperty("activeConnections").GetInt32().Should().Be(1);

        var ok = await client.InvokeAsync("Subscribe", ["p1", null], cts.Token);
        ok.TryGetProperty("error", out _).Should().BeFalse(ok.ToString());
        await client.InvokeAsync("Subscribe", ["p1", null], cts.Token);
        await client.InvokeAsync("Subscribe", ["p2", null], cts.Token);
        var invalid = await client.InvokeAsync("Subscribe", ["", null], cts.Token);
        invalid.GetProperty("error").GetString().Should().Contain(HubErrorCodes.InvalidMessage + ": ");
        var subscribed = await ScrapeAsync();
        subscribed.Value("websocket_subscriptions_total").Should().Be(2, "subscribing twice to one project is one subscription");
        subscribed.Value("websocket_active_subscriptions").Should().Be(2);
        subscribed.Value("websocket_subscriptions_by_project", ("project_id", "p1")).Should().Be(1);
        subscribed.Value("websocket_messages_total", ("direction", "received"), ("type", "Subscribe")).Should().Be(4);
        subscribed.Value("websocket_message_errors_total", ("error_type", "invalid_message")).Should().Be(1);

        await client.InvokeAsync("Unsubscribe", ["p2"], cts.Token);
        (await ScrapeAsync()).Value("websocket_subscriptions_by_project", ("project_id", "p2")).Should().Be(0);

        await client.DisposeAsync();
        var closed = await EventuallyAsync(
            () => ScrapeAsync(), s => s.Value("websocket_connections_total", ("status", "closed"), ("hub", "projects")) == 1, "the connection to close");
        closed.Value("websocket_active_connections").Should().Be(0);
        closed.Value("websocket_subscriptions_total").Should().Be(0, "closing releases the connection's subscriptions");
        closed.Value("websocket_connection_duration_seconds_count", ("hub", "projects")).Should().Be(1);
        closed.Value("websocket_session_duration_seconds_count").Should().Be(1);
        closed.Value("websocket_subscriptions_per_connection_count").Should().Be(1);
        closed.Value("websocket_subscriptions_per_connection_bucket", ("le", "1")).Should().Be(0, "its peak was two subscriptions");
        closed.Value("websocket_subscriptions_per_connection_bucket", ("le", "2")).Should().Be(1);
        (await _server.Http.GetFromJsonAsync<JsonElement>("/health")).GetProperty("connections").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task IncidentsClient_UnsubscribeUnknownId_CountsNotFoundErrorNoSubscription()
    {
        using var cts = new CancellationTokenSource(Patience);
        await using var client = await ConnectAsync(HubRoutes.Incidents, cts.Token);

        var subscribed = await client.InvokeAsync("Subscribe", ["s1", new { severities = new[] { "P1" } }, null], cts.Token);
        subscribed.TryGetProperty("error", out _).Should().BeFalse(subscribed.ToString());
        var missing = await client.InvokeAsync("Unsubscribe", ["nope"], cts.Token);
        missing.GetProperty("error").GetString().Should().Contain(HubErrorCodes.NotFound + ": ");

        var scrape = await ScrapeAsync();
        scrape.Value("websocket_message_errors_total", ("error_type", "not_found")).Should().Be(1);
        scrape.Value("websocket_subscriptions_total").Should().Be(1);
        scrape.LabelSets("websocket_subscriptions_by_project").Should().BeEmpty("incident subscriptions belong to no project");
    }

    [Fact]
    public async Task StudyClient_WithoutUser_CountedAsFailedConnection()
    {
        using var cts = new CancellationTokenSource(Patience);
        try
        {
            await using var client = await ConnectAsync(HubRoutes.Study, cts.Token);
            await client.InvokeAsync("SendChat", ["hi", null], cts.Token);
        }
        catch (InvalidOperationException)
        {
            // The hub refuses an anonymous study connection and closes it.
        }

        var scrape = await EventuallyAsync(
            () => ScrapeAsync(), s => s.Value("websocket_connections_total", ("status", "failed"), ("hub", "study")) == 1, "the refused connection");
        scrape.Value("websocket_connections_total", ("status", "opened"), ("hub", "study")).Should().Be(0);
        scrape.Value("websocket_active_connections").Should().Be(0);
    }

    [Fact]
    public async Task Health_NoRedis_HealthyNotConfiguredWithInstanceAndUptime()
    {
        using var response = await _server.Http.GetAsync("/health");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        body.GetProperty("status").GetString().Should().Be("healthy");
        body.GetProperty("redis").GetString().Should().Be("not_configured");
        body.GetProperty("instance").GetString().Should().Be(Environment.MachineName);
        body.GetProperty("uptime_seconds").GetDouble().Should().BeGreaterThanOrEqualTo(0);
        body.GetProperty("connections").GetInt32().Should().Be(0);
    }

    [Fact]
    public async Task WebSocketHealth_Get_HasSeed003Shape()
    {
        var body = await _server.Http.GetFromJsonAsync<JsonElement>("/health/websocket");

        body.GetProperty("status").GetString().Should().Be("healthy");
        body.GetProperty("activeConnections").GetInt32().Should().Be(0);
        DateTimeOffset.TryParse(body.GetProperty("timestamp").GetString(), out _).Should().BeTrue();
    }

    [Fact]
    public async Task ApiWsHealth_Get_HasSeed001Shape()
    {
        var body = await _server.Http.GetFromJsonAsync<JsonElement>("/api/ws/health");

        body.EnumerateObject().Select(p => p.Name).Should().Equal("status", "active_connections", "total_sockets");
        body.GetProperty("status").GetString().Should().Be("healthy");
        body.GetProperty("active_connections").GetInt32().Should().Be(0);
        body.GetProperty("total_sockets").GetInt32().Should().Be(0);
    }
}
