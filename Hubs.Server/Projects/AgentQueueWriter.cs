using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Projects;
using Hubs.Server.Scaleout;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Projects;

/// <summary>
/// Appends forwarded messages to the agent queues. The queues are event-log streams (Redis Streams when Redis is
/// configured, so they survive a restart); agents consume them with <c>XREAD</c>/<c>XREADGROUP</c>.
/// </summary>
internal sealed class AgentQueueWriter
{
    private readonly IEventLog _log;
    private readonly HistoryOptions _history;
    private readonly TimeProvider _time;

    public AgentQueueWriter(IEventLog log, IOptions<HistoryOptions> history, TimeProvider time)
    {
        _log = log;
        _history = history.Value;
        _time = time;
    }

    public async Task<ForwardResult> ForwardAsync(ForwardRequest request, string? senderUserId, CancellationToken cancellationToken)
    {
        var entry = new QueuedMessage(request.Type, request.MessageId, request.ProjectId, request.Data, senderUserId, _time.GetUtcNow());
        var payload = JsonSerializer.SerializeToUtf8Bytes(entry, HubsJson.Options);
        var position = await _log.AppendAsync(topic: null, EventStreams.AgentQueue(request.Type), payload, _history.MaxAgentQueueLength, cancellationToken);
        return new ForwardResult(request.MessageId, request.Type, position);
    }

    /// <summary>The entry an agent reads from its queue. Wire: <c>{"type","message_id","project_id","data","sender","forwarded_at"}</c>.</summary>
    internal sealed record QueuedMessage(string Type, string MessageId, string ProjectId, JsonElement Data, string? Sender, DateTimeOffset ForwardedAt);
}
