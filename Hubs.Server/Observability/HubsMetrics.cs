using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Observability;

/// <summary>
/// Every instrument of the <c>Hubs</c> meter, with the names, labels and buckets of seeds 003 (agent
/// orchestrator monitoring) and 004 (incident manager streaming), so their dashboards and alerts keep working.
/// This class owns every instrument: the rest of the service calls its methods and never creates an
/// instrument of its own (two instruments of one name would export as one broken family).
/// The methods are allocation-free: tags are passed on the stack and free-form label values are capped
/// (<see cref="BoundedLabel"/>), so a metric call is safe on the fan-out path.
/// </summary>
internal sealed class HubsMetrics
{
    public const string MeterName = "Hubs";

    /// <summary>Buckets of seed 003 for connection and session durations: 1 s to 1 h.</summary>
    internal static readonly double[] DurationBucketsSeconds = [1, 5, 10, 30, 60, 300, 600, 1800, 3600];

    internal static readonly double[] MessageLatencyBucketsMilliseconds = [1, 5, 10, 25, 50, 100, 250, 500, 1000];

    // Seed 004 names no buckets; these are seed 003's latency buckets in seconds, so both histograms line up.
    internal static readonly double[] MessageLatencyBucketsSeconds = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    internal static readonly double[] HeartbeatLatencyBucketsMilliseconds = [1, 5, 10, 25, 50, 100, 250, 500];

    internal static readonly double[] SubscriptionsPerConnectionBuckets = [0, 1, 2, 5, 10, 20, 50];

    private static readonly KeyValuePair<string, object?> StatusOpened = new("status", "opened");
    private static readonly KeyValuePair<string, object?> StatusClosed = new("status", "closed");
    private static readonly KeyValuePair<string, object?> StatusFailed = new("status", "failed");
    private static readonly KeyValuePair<string, object?> DirectionSent = new("direction", "sent");
    private static readonly KeyValuePair<string, object?> DirectionReceived = new("direction", "received");

    private readonly Counter<long> _connections;
    private readonly UpDownCounter<long> _activeConnections;
    private readonly Histogram<double> _connectionDuration;
    private readonly Counter<long> _authFailures;
    private readonly Histogram<double> _subscriptionsPerConnection;
    private readonly Counter<long> _messages;
    private readonly Histogram<double> _messageLatencyMilliseconds;
    private readonly Counter<long> _messageErrors;
    private readonly Counter<long> _heartbeatsSent;
    private readonly Histogram<double> _heartbeatLatency;
    private readonly Counter<long> _heartbeatTimeouts;
    private readonly Counter<long> _totalConnections;
    private readonly Counter<long> _messagesSent;
    private readonly Counter<long> _eventsBroadcast;
    private readonly Counter<long> _eventsDelivered;
    private readonly Histogram<double> _sessionDuration;
    private readonly Histogram<double> _messageLatencySeconds;

    private readonly Counter<long> _backplanePublished;
    private readonly Counter<long> _backplaneReceived;
    private readonly Counter<long> _backplanePublishFailures;
    private readonly Counter<long> _backplaneReconnects;

    private readonly SubscriptionCounts _subscriptions;
    private readonly BoundedLabel _messageTypes;
    private readonly BoundedLabel _eventTypes;
    private readonly BoundedLabel _errorTypes;
    private readonly BoundedLabel _authReasons;
    private readonly BoundedLabel _hubs;
    private readonly BoundedLabel _endpoints;

    public HubsMetrics(IMeterFactory meterFactory, IOptions<ObservabilityOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        _subscriptions = new SubscriptionCounts(settings.MaxProjectLabels);
        _messageTypes = new BoundedLabel(settings.MaxLabelValues);
        _eventTypes = new BoundedLabel(settings.MaxLabelValues);
        _errorTypes = new BoundedLabel(settings.MaxLabelValues);
        _authReasons = new BoundedLabel(settings.MaxLabelValues);
        _hubs = new BoundedLabel(settings.MaxLabelValues);
        _endpoints = new BoundedLabel(settings.MaxLabelValues);
        var cpu = new ProcessCpuSampler(time);

        var meter = meterFactory.Create(MeterName);

        // Seed 003: connections.
        _connections = meter.CreateCounter<long>(
            "websocket_connections_total", description: "Total number of WebSocket connections established, by status (opened, closed, failed)");
        _activeConnections = meter.CreateUpDownCounter<long>(
            "websocket_active_connections", description: "Current number of active WebSocket connections");
        _connectionDuration = meter.CreateHistogram(
            "websocket_connection_duration_seconds", "s", "WebSocket connection duration in seconds",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBucketsSeconds });
        _authFailures = meter.CreateCounter<long>(
            "websocket_auth_failures_total", description: "Total number of WebSocket authentication failures, by reason");

        // Seed 003: subscriptions. Gauges observed from live counts, so they never drift from a missed decrement.
        meter.CreateObservableGauge(
            "websocket_subscriptions_total", () => _subscriptions.Total, description: "Current number of active subscriptions");
        meter.CreateObservableGauge(
            "websocket_subscriptions_by_project", _subscriptions.ObserveByProject,
            description: $"Number of subscriptions per project (the {settings.MaxProjectLabels} busiest projects; the rest under project_id=\"other\")");
        _subscriptionsPerConnection = meter.CreateHistogram(
            "websocket_subscriptions_per_connection", "{subscription}", "Number of subscriptions per WebSocket connection (its peak, recorded when it closes)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SubscriptionsPerConnectionBuckets });

        // Seed 003: messages.
        _messages = meter.CreateCounter<long>(
            "websocket_messages_total", description: "Total number of WebSocket messages, by direction (sent, received) and type");
        _messageLatencyMilliseconds = meter.CreateHistogram(
            "websocket_message_latency_milliseconds", "ms", "WebSocket message latency in milliseconds, from publish accepted to written to the client",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MessageLatencyBucketsMilliseconds });
        _messageErrors = meter.CreateCounter<long>(
            "websocket_message_errors_total", description: "Total number of WebSocket message errors, by error type");

        // Seed 003: heartbeats.
        _heartbeatsSent = meter.CreateCounter<long>(
            "websocket_heartbeats_sent_total", description: "Total number of heartbeat pings sent");
        _heartbeatLatency = meter.CreateHistogram(
            "websocket_heartbeat_latency_milliseconds", "ms", "WebSocket heartbeat ping/pong latency in milliseconds",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HeartbeatLatencyBucketsMilliseconds });
        _heartbeatTimeouts = meter.CreateCounter<long>(
            "websocket_heartbeat_timeouts_total", description: "Total number of heartbeat timeouts (dead connections)");

        // Seed 003: resources. The process is the WebSocket handler, so process-wide numbers are the honest ones.
        meter.CreateObservableGauge(
            "websocket_memory_usage_bytes", static () => GC.GetTotalMemory(forceFullCollection: false), "By",
            "Memory usage for WebSocket connections (managed heap bytes in use by the process)");
        meter.CreateObservableGauge(
            "websocket_cpu_usage_percent", cpu.Sample, "%", "CPU usage percentage for WebSocket handling (process CPU over all cores)");

        // Seed 004.
        _totalConnections = meter.CreateCounter<long>(
            "websocket_total_connections", description: "Total connections (lifetime)");
        meter.CreateObservableGauge(
            "websocket_active_subscriptions", () => _subscriptions.Total, description: "Current subscriptions");
        _messagesSent = meter.CreateCounter<long>(
            "websocket_messages_sent_total", description: "Messages sent to clients");
        _eventsBroadcast = meter.CreateCounter<long>(
            "websocket_events_broadcast_total", description: "Events broadcast (publishes accepted), by event type");
        _eventsDelivered = meter.CreateCounter<long>(
            "websocket_events_delivered_total", description: "Events successfully delivered to a client, by event type");
        _sessionDuration = meter.CreateHistogram(
            "websocket_session_duration_seconds", "s", "Session duration in seconds",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBucketsSeconds });
        _messageLatencySeconds = meter.CreateHistogram(
            "websocket_message_latency_seconds", "s", "Message delivery latency in seconds, from publish accepted to written to the client",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MessageLatencyBucketsSeconds });

        // Redis backplane (scale-out); zero on instances without Redis.
        _backplanePublished = meter.CreateCounter<long>("hubs_backplane_messages_published_total", description: "Messages this instance published on the Redis backplane");
        _backplaneReceived = meter.CreateCounter<long>("hubs_backplane_messages_received_total", description: "Messages this instance received from the Redis backplane");
        _backplanePublishFailures = meter.CreateCounter<long>("hubs_backplane_publish_failures_total", description: "Backplane publishes that failed (Redis unavailable)");
        _backplaneReconnects = meter.CreateCounter<long>("hubs_backplane_reconnects_total", description: "Redis connections restored after a failure");
        _backplanePublished.Add(0);
        _backplaneReceived.Add(0);
        _backplanePublishFailures.Add(0);
        _backplaneReconnects.Add(0);

        // Unlabelled counters start at an explicit 0 so rate() has a series from the first scrape.
        _heartbeatsSent.Add(0);
        _heartbeatTimeouts.Add(0);
        _totalConnections.Add(0);
        _messagesSent.Add(0);
    }

    /// <summary>A connection finished its handshake and the hub accepted it.</summary>
    public void ConnectionOpened(string hub, string endpoint)
    {
        var hubTag = new KeyValuePair<string, object?>("hub", _hubs.Bound(hub));
        var endpointTag = new KeyValuePair<string, object?>("endpoint", _endpoints.Bound(endpoint));
        _connections.Add(1, StatusOpened, hubTag, endpointTag);
        _activeConnections.Add(1, hubTag, endpointTag);
        _totalConnections.Add(1);
    }

    /// <summary>An opened connection closed, for any reason.</summary>
    public void ConnectionClosed(string hub, string endpoint, TimeSpan duration)
    {
        var hubTag = new KeyValuePair<string, object?>("hub", _hubs.Bound(hub));
        var endpointTag = new KeyValuePair<string, object?>("endpoint", _endpoints.Bound(endpoint));
        _connections.Add(1, StatusClosed, hubTag, endpointTag);
        _activeConnections.Add(-1, hubTag, endpointTag);
        var seconds = duration.TotalSeconds;
        _connectionDuration.Record(seconds, hubTag);
        _sessionDuration.Record(seconds, hubTag);
    }

    /// <summary>A connection was refused before it opened (the hub or a filter threw while connecting).</summary>
    public void ConnectionFailed(string hub, string endpoint)
    {
        _connections.Add(
            1,
            StatusFailed,
            new KeyValuePair<string, object?>("hub", _hubs.Bound(hub)),
            new KeyValuePair<string, object?>("endpoint", _endpoints.Bound(endpoint)));
    }

    /// <summary>An authentication attempt failed; <paramref name="reason"/> as in seed 003: <c>missing_token</c>, <c>invalid_token</c>, <c>expired_token</c>, ...</summary>
    public void AuthFailure(string reason) =>
        _authFailures.Add(1, new KeyValuePair<string, object?>("reason", _authReasons.Bound(reason)));

    /// <summary>A subscription started; <paramref name="projectId"/> when it is a project subscription.</summary>
    public void SubscriptionAdded(string? projectId) => _subscriptions.Added(projectId);

    /// <summary>A subscription ended (unsubscribe or connection closed).</summary>
    public void SubscriptionRemoved(string? projectId) => _subscriptions.Removed(projectId);

    /// <summary>Recorded once per closed connection: the most subscriptions it held at once.</summary>
    public void ConnectionSubscriptions(int peak) => _subscriptionsPerConnection.Record(peak);

    /// <summary>A client message arrived (a hub invocation; <paramref name="type"/> is its method or legacy message type).</summary>
    public void MessageReceived(string type) =>
        _messages.Add(1, DirectionReceived, new KeyValuePair<string, object?>("type", _messageTypes.Bound(type)));

    /// <summary><paramref name="count"/> messages of <paramref name="type"/> were written to clients.</summary>
    public void MessageSent(string type, int count = 1)
    {
        _messages.Add(count, DirectionSent, new KeyValuePair<string, object?>("type", _messageTypes.Bound(type)));
        _messagesSent.Add(count);
    }

    /// <summary>A message failed: <c>parse_error</c>, <c>validation_error</c>, <c>send_error</c>, or a hub error code in lower case.</summary>
    public void MessageError(string errorType) =>
        _messageErrors.Add(1, new KeyValuePair<string, object?>("error_type", _errorTypes.Bound(errorType)));

    /// <summary>A published event was accepted (once per event, before fan-out).</summary>
    public void EventBroadcast(string eventType) =>
        _eventsBroadcast.Add(1, new KeyValuePair<string, object?>("event_type", _eventTypes.Bound(eventType)));

    /// <summary>
    /// A published event was handed to <paramref name="recipients"/> connections, <paramref name="latency"/>
    /// after it was accepted. Counts the deliveries and the sent messages; records the latency histograms once
    /// per event, not per recipient: every recipient of one event shares the same latency, and a loop per
    /// recipient would put per-recipient work on the fan-out hot path. Histogram counts are therefore events.
    /// </summary>
    public void EventDelivered(string eventType, TimeSpan latency, int recipients = 1)
    {
        if (recipients <= 0)
        {
            return;
        }

        var eventTag = new KeyValuePair<string, object?>("event_type", _eventTypes.Bound(eventType));
        _eventsDelivered.Add(recipients, eventTag);
        _messageLatencyMilliseconds.Record(latency.TotalMilliseconds, eventTag);
        _messageLatencySeconds.Record(latency.TotalSeconds, eventTag);

        MessageSent(eventType, recipients);
    }

    public void HeartbeatSent() => _heartbeatsSent.Add(1);

    public void HeartbeatLatency(TimeSpan latency) => _heartbeatLatency.Record(latency.TotalMilliseconds);

    public void HeartbeatTimeout() => _heartbeatTimeouts.Add(1);

    public void BackplanePublished() => _backplanePublished.Add(1);

    public void BackplaneReceived() => _backplaneReceived.Add(1);

    public void BackplanePublishFailed() => _backplanePublishFailures.Add(1);

    public void BackplaneReconnected() => _backplaneReconnects.Add(1);
}
