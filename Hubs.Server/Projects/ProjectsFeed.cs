using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Projects;
using Hubs.Server.Delivery;
using Hubs.Server.Feeds;
using Hubs.Server.Observability;
using Hubs.Server.Scaleout;
using Hubs.Server.Web;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Projects;

/// <summary>
/// Project updates: published into the event log (retained per project, broadcast on the project's own topic), then
/// delivered by each instance that has subscribers for the project to its own subscribed connections, one
/// serialization per update for all of them. The registry holds a project's topic while a local connection follows it.
/// </summary>
internal sealed partial class ProjectsFeed
{
    private readonly IEventLog _log;
    private readonly HistoryOptions _history;
    private readonly TimeProvider _time;
    private readonly HubsMetrics _metrics;
    private readonly ILogger<ProjectsFeed> _logger;
    private readonly ServiceStats _stats;

    public ProjectsFeed(IEventLog log, LocalConnections<ProjectsHub> connections, IOptions<HistoryOptions> history, TimeProvider time, HubsMetrics metrics, ServiceStats stats, ILogger<ProjectsFeed> logger)
    {
        _metrics = metrics;
        _stats = stats;
        _log = log;
        _history = history.Value;
        _time = time;
        _logger = logger;
        Registry = new FeedRegistry<ProjectUpdate, ConnectionOutbox>(
            connections.OutboxOf,
            openRoute: projectId => _log.Subscribe(EventStreams.ProjectTopic(projectId), EventStreams.Project(projectId), DispatchAsync),
            readPosition: FeedHistory.NewestId(log, projectId => EventStreams.Project(projectId!)));
    }

    public FeedRegistry<ProjectUpdate, ConnectionOutbox> Registry { get; }

    public async Task<string> PublishAsync(string projectId, string? type, JsonElement data, CancellationToken cancellationToken)
    {
        var update = new ProjectUpdate(string.IsNullOrWhiteSpace(type) ? ProjectUpdate.DefaultType : type, projectId, data, string.Empty, _time.GetUtcNow());
        var payload = JsonSerializer.SerializeToUtf8Bytes(update, HubsJson.Options);
        var id = await _log.AppendAsync(EventStreams.ProjectTopic(projectId), EventStreams.Project(projectId), payload, _history.MaxProjectUpdates, cancellationToken);
        _metrics.EventBroadcast(update.Type);
        _stats.ProjectUpdatePublished();
        Log.Published(_logger, projectId, id);
        return id;
    }

    public async Task<ProjectSubscription> SubscribeAsync(string connectionId, string projectId, StreamId? since, Func<ProjectUpdate, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        var replay = await Registry.SubscribeAsync(
            connectionId,
            key: projectId,
            route: projectId,
            matches: u => u.ProjectId == projectId,
            since,
            FeedHistory.Reader(_log, EventStreams.Project(projectId), _history.ReplayPageSize, Decode),
            send,
            cancellationToken);
        return new ProjectSubscription(projectId, replay.Replayed, replay.HistoryTruncated, replay.Position.ToString());
    }

    private ValueTask DispatchAsync(LoggedEvent entry)
    {
        if (!StreamId.TryParse(entry.Id, out var id))
        {
            return ValueTask.CompletedTask;
        }

        var update = Decode(entry);
        var recipients = Registry.Dispatch(id, update.ProjectId, update);
        if (recipients.Count > 0)
        {
            _metrics.EventDelivered(update.Type, _time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(id.Milliseconds), recipients.Count);
            ConnectionOutbox.EnqueueToAll(recipients, new InvocationMessage(nameof(IProjectsClient.ProjectUpdated), [update]));
        }

        return ValueTask.CompletedTask;
    }

    private static ProjectUpdate Decode(LoggedEvent entry)
        => JsonSerializer.Deserialize<ProjectUpdate>(entry.Payload.Span, HubsJson.Options)! with { MessageId = entry.Id };

    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Debug, "Published an update for project {ProjectId} as {MessageId}.")]
        public static partial void Published(ILogger logger, string projectId, string messageId);
    }
}
