using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Projects;
using Hubs.Server.Observability;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hubs.Server.Legacy;

/// <summary>
/// <c>/ws/projects</c> and <c>/ws?project_id=</c> (LEGACY.md section 3, seed 002) onto <see cref="IProjectsHub"/>:
/// the <c>action</c>s <c>subscribe</c>, <c>unsubscribe</c>, <c>forward</c> are hub invocations whose results become
/// <c>subscription_confirmed</c>, <c>unsubscription_confirmed</c>, <c>forwarded</c>; <c>ProjectUpdated</c> pushes are
/// <c>{"type":&lt;publisher's type&gt;,"project_id","data","message_id","timestamp"}</c>.
/// </summary>
internal sealed class ProjectsLegacyProtocol(HubsMetrics metrics, TimeProvider time) : LegacyHubProtocol(metrics, time)
{
    public const string ProtocolName = "legacy-projects";

    /// <summary>The query parameter that subscribes a <c>/ws</c> socket at once (and selects this protocol there).</summary>
    public const string ProjectIdQuery = "project_id";

    private const string SubscribeId = "projects:subscribe";
    private const string UnsubscribeId = "projects:unsubscribe";
    private const string ForwardId = "projects:forward";

    private static readonly ReadOnlyMemory<byte> Shutdown = Utf8("""{"type":"shutdown","message":"Server is shutting down, please reconnect"}""");

    private static readonly JsonElement JsonNull = JsonDocument.Parse("null").RootElement.Clone();

    public override string Name => ProtocolName;

    public override ReadOnlyMemory<byte> ConnectedFrame(string connectionId, HttpContext context) => Frame(json =>
    {
        json.WriteStartObject();
        json.WriteString("type", "connected");
        json.WriteString("message", "WebSocket connection established");
        WriteTimestamp(json, "timestamp", Time.GetUtcNow());
        json.WriteEndObject();
    });

    public override ReadOnlyMemory<byte>? GoodbyeFrame(LegacyCloseReason reason) => reason == LegacyCloseReason.ServerShutdown ? Shutdown : null;

    public override IReadOnlyList<string> InitialClientFrames(HttpContext context)
    {
        var projectId = context.Request.Query[ProjectIdQuery].ToString();
        return string.IsNullOrEmpty(projectId)
            ? []
            : [JsonSerializer.Serialize(new Dictionary<string, string> { ["action"] = "subscribe", ["project_id"] = projectId })];
    }

    protected override HubMessage Translate(JsonElement frame)
    {
        if (!TryGetString(frame, "action", out var action, out var rejection))
        {
            return rejection;
        }

        switch (action)
        {
            case "subscribe":
                if (!TryGetString(frame, "project_id", out var projectId, out rejection) || !TryGetString(frame, "since", out var since, out rejection))
                {
                    return rejection;
                }

                return Invoke(SubscribeId, nameof(IProjectsHub.Subscribe), projectId, since);
            case "unsubscribe":
                return TryGetString(frame, "project_id", out projectId, out rejection)
                    ? Invoke(UnsubscribeId, nameof(IProjectsHub.Unsubscribe), projectId)
                    : rejection;
            case "forward":
                if (!TryGetString(frame, "type", out var queue, out rejection)
                    || !TryGetString(frame, "message_id", out var messageId, out rejection)
                    || !TryGetString(frame, "project_id", out projectId, out rejection))
                {
                    return rejection;
                }

                return Invoke(ForwardId, nameof(IProjectsHub.Forward), new ForwardRequest(queue!, messageId!, projectId!, DataOrNull(frame)));
            case "ping":
                return Pong(frame, field: "-");
            case null:
                return Reject(HubErrorCodes.InvalidMessage, "action is required");
            default:
                return Reject(HubErrorCodes.Unsupported, "Unknown action: " + action);
        }
    }

    // A forward without data queues null rather than a value the queue writer cannot serialize.
    private static JsonElement DataOrNull(JsonElement frame)
        => frame.TryGetProperty("data", out var data) ? data : JsonNull;

    protected override void WriteCallback(string target, object?[] arguments, Utf8JsonWriter json)
    {
        if (arguments is not [ProjectUpdate update])
        {
            return;
        }

        json.WriteStartObject();
        json.WriteString("type", update.Type);
        json.WriteString("project_id", update.ProjectId);
        WriteRaw(json, "data", update.Data);
        json.WriteString("message_id", update.MessageId);
        WriteTimestamp(json, "timestamp", update.Timestamp);
        json.WriteEndObject();
    }

    protected override void WriteResult(string? invocationId, object? result, Utf8JsonWriter json)
    {
        switch (invocationId, result)
        {
            case (SubscribeId, ProjectSubscription subscription):
                json.WriteStartObject();
                json.WriteString("type", "subscription_confirmed");
                json.WriteString("project_id", subscription.ProjectId);
                if (subscription.HistoryTruncated)
                {
                    json.WriteBoolean("history_truncated", true);
                }

                json.WriteEndObject();
                break;
            case (UnsubscribeId, ProjectSubscription subscription):
                json.WriteStartObject();
                json.WriteString("type", "unsubscription_confirmed");
                json.WriteString("project_id", subscription.ProjectId);
                json.WriteEndObject();
                break;
            case (ForwardId, ForwardResult forwarded):
                json.WriteStartObject();
                json.WriteString("type", "forwarded");
                json.WriteString("message_id", forwarded.MessageId);
                json.WriteString("queue", forwarded.Queue);
                json.WriteEndObject();
                break;
        }
    }

    protected override void WriteError(string? code, string message, Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", "error");
        json.WriteString("message", message);
        json.WriteEndObject();
    }

    protected override void WritePong(string? timestamp, Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", "pong");
        WriteTimestamp(json, "timestamp", Time.GetUtcNow());
        json.WriteEndObject();
    }
}
