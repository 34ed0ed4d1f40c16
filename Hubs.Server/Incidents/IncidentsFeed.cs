using System.Collections.Concurrent;
using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Incidents;
using Hubs.Server.Delivery;
using Hubs.Server.Feeds;
using Hubs.Server.Observability;
using Hubs.Server.Scaleout;
using Hubs.Server.Web;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Incidents;

/// <summary>
/// Incident events: one retained stream and one broadcast per event for all instances; each instance matches
/// the event against its own connections' filters and sends it once to every matching connection, with a
/// single serialization per protocol for all of them.
/// </summary>
internal sealed partial class IncidentsFeed : IHostedService, IDisposable
{
    private readonly IEventLog _log;
    private readonly HistoryOptions _history;
    private readonly TimeProvider _time;
    private readonly HubsMetrics _metrics;
    private readonly ILogger<IncidentsFeed> _logger;
    private readonly ServiceStats _stats;
    private readonly ConcurrentDictionary<string, string> _acks = new(StringComparer.Ordinal);
    private EventSubscription? _subscription;

    public IncidentsFeed(IEventLog log, LocalConnections<IncidentsHub> connections, IOptions<HistoryOptions> history, TimeProvider time, HubsMetrics metrics, ServiceStats stats, ILogger<IncidentsFeed> logger)
    {
        _metrics = metrics;
        _stats = stats;
        _log = log;
        _history = history.Value;
        _time = time;
        _logger = logger;
        Registry = new FeedRegistry<IncidentEventEnvelope, ConnectionOutbox>(connections.OutboxOf, readPosition: FeedHistory.NewestId(log, _ => EventStreams.Incidents));
    }

    public FeedRegistry<IncidentEventEnvelope, ConnectionOutbox> Registry { get; }

    public async Task<string> PublishAsync(string eventType, Incident incident, CancellationToken cancellationToken)
    {
        var envelope = new IncidentEventEnvelope(
            string.Empty,
            new IncidentEvent(eventType, incident, IncidentPriority.For(eventType, incident.Severity)),
            _time.GetUtcNow());
        var payload = JsonSerializer.SerializeToUtf8Bytes(envelope, HubsJson.Options);
        var id = await _log.AppendAsync(EventStreams.IncidentsTopic, EventStreams.Incidents, payload, _history.MaxIncidentEvents, cancellationToken);
        _metrics.EventBroadcast(eventType);
        _stats.IncidentEventPublished();
        Log.Published(_logger, eventType, incident.Id, id);
        return id;
    }

    public Task<FeedReplay> SubscribeAsync(string connectionId, string subscriptionId, IncidentFilterMatcher filter, StreamId? since, Func<IncidentEventEnvelope, CancellationToken, Task> send, CancellationToken cancellationToken)
        => Registry.SubscribeAsync(
            connectionId,
            key: subscriptionId,
            route: null,
            matches: e => filter.Matches(e.Event),
            since,
            FeedHistory.Reader(_log, EventStreams.Incidents, _history.ReplayPageSize, Decode),
            send,
            cancellationToken);

    public void Ack(string connectionId, string messageId) => _acks[connectionId] = messageId;

    public string? LastAck(string connectionId) => _acks.TryGetValue(connectionId, out var id) ? id : null;

    public void RemoveConnection(string connectionId)
    {
        Registry.RemoveConnection(connectionId);
        _acks.TryRemove(connectionId, out _);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = _log.Subscribe(EventStreams.IncidentsTopic, EventStreams.Incidents, DispatchAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _subscription?.Dispose();

    private ValueTask DispatchAsync(LoggedEvent entry)
    {
        if (!StreamId.TryParse(entry.Id, out var id))
        {
            return ValueTask.CompletedTask;
        }

        var envelope = Decode(entry);
        var recipients = Registry.Dispatch(id, route: null, envelope);
        if (recipients.Count > 0)
        {
            _metrics.EventDelivered(envelope.Event.EventType, _time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(id.Milliseconds), recipients.Count);
            ConnectionOutbox.EnqueueToAll(recipients, new InvocationMessage(nameof(IIncidentsClient.IncidentEvent), [envelope]));
        }

        return ValueTask.CompletedTask;
    }

    private static IncidentEventEnvelope Decode(LoggedEvent entry)
        => JsonSerializer.Deserialize<IncidentEventEnvelope>(entry.Payload.Span, HubsJson.Options)! with { MessageId = entry.Id };

    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Debug, "Published {EventType} for incident {IncidentId} as {MessageId}.")]
        public static partial void Published(ILogger logger, string eventType, string incidentId, string messageId);
    }
}
