using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Incidents;
using Hubs.Server.Observability;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hubs.Server.Legacy;

/// <summary>
/// Plain <c>/ws</c> (LEGACY.md section 4, seed 004) onto <see cref="IIncidentsHub"/>: <c>subscribe</c>,
/// <c>unsubscribe</c>, <c>ack</c> are hub invocations (filter normalization, <c>since</c> replay, <c>NOT_FOUND</c> are
/// the hub's); <c>IncidentEvent</c> pushes are <c>{"type":"event","message_id","event","timestamp"}</c>; errors are
/// <c>{"type":"error","code","message"}</c> with the hub's error code. Idle sockets get <c>closing</c>/<c>session_timeout</c>.
/// </summary>
internal sealed class IncidentsLegacyProtocol(HubsMetrics metrics, TimeProvider time) : LegacyHubProtocol(metrics, time)
{
    public const string ProtocolName = "legacy-incidents";

    private const string SubscribeId = "incidents:subscribe";
    private const string UnsubscribeId = "incidents:unsubscribe";
    private const string AckId = "incidents:ack";

    private static readonly ReadOnlyMemory<byte> ClosingShutdown = Utf8("""{"type":"closing","reason":"server_shutdown"}""");
    private static readonly ReadOnlyMemory<byte> ClosingTimeout = Utf8("""{"type":"closing","reason":"session_timeout"}""");
    private static readonly ReadOnlyMemory<byte> ClosingSlowConsumer = Utf8("""{"type":"closing","reason":"slow_consumer"}""");

    public override string Name => ProtocolName;

    public override bool HasIdleRule => true;

    public override ReadOnlyMemory<byte> ConnectedFrame(string connectionId, HttpContext context) => Frame(json =>
    {
        json.WriteStartObject();
        json.WriteString("type", "welcome");
        json.WriteString("session_id", connectionId);
        WriteTimestamp(json, "server_time", Time.GetUtcNow());
        json.WriteEndObject();
    });

    public override ReadOnlyMemory<byte>? GoodbyeFrame(LegacyCloseReason reason) => reason switch
    {
        LegacyCloseReason.ServerShutdown => ClosingShutdown,
        LegacyCloseReason.SessionTimeout => ClosingTimeout,
        LegacyCloseReason.SlowConsumer => ClosingSlowConsumer,
        _ => null,
    };

    protected override HubMessage Translate(JsonElement frame)
    {
        if (!TryGetString(frame, "type", out var type, out var rejection))
        {
            return rejection;
        }

        switch (type)
        {
            case "subscribe":
                if (!TryGetString(frame, "subscription_id", out var subscriptionId, out rejection) || !TryGetString(frame, "since", out var since, out rejection))
                {
                    return rejection;
                }

                IncidentFilter? filter;
                var filters = GetElement(frame, "filters");
                if (filters.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
                {
                    filter = new IncidentFilter();
                }
                else if (filters.ValueKind != JsonValueKind.Object)
                {
                    return Reject(HubErrorCodes.InvalidMessage, "filters must be an object");
                }
                else
                {
                    try
                    {
                        filter = filters.Deserialize<IncidentFilter>(HubsJson.Options) ?? new IncidentFilter();
                    }
                    catch (JsonException ex)
                    {
                        return Reject(HubErrorCodes.InvalidMessage, "filters: " + (ex.Path is { } path ? $"{path} has the wrong type" : "invalid"));
                    }
                }

                return Invoke(SubscribeId, nameof(IIncidentsHub.Subscribe), subscriptionId, filter, since);
            case "unsubscribe":
                return TryGetString(frame, "subscription_id", out subscriptionId, out rejection)
                    ? Invoke(UnsubscribeId, nameof(IIncidentsHub.Unsubscribe), subscriptionId)
                    : rejection;
            case "ack":
                return TryGetString(frame, "message_id", out var messageId, out rejection)
                    ? Invoke(AckId, nameof(IIncidentsHub.Ack), messageId)
                    : rejection;
            case "ping":
                return Pong(frame);
            case null:
                return Reject(HubErrorCodes.InvalidMessage, "type is required");
            default:
                return Reject(HubErrorCodes.Unsupported, "Unknown message type: " + type);
        }
    }

    protected override void WriteCallback(string target, object?[] arguments, Utf8JsonWriter json)
    {
        if (arguments is not [IncidentEventEnvelope envelope])
        {
            return;
        }

        json.WriteStartObject();
        json.WriteString("type", "event");
        json.WriteString("message_id", envelope.MessageId);
        json.WritePropertyName("event");
        JsonSerializer.Serialize(json, envelope.Event, HubsJson.Options);
        WriteTimestamp(json, "timestamp", envelope.Timestamp);
        json.WriteEndObject();
    }

    protected override void WriteResult(string? invocationId, object? result, Utf8JsonWriter json)
    {
        switch (invocationId, result)
        {
            case (SubscribeId, IncidentSubscription subscription):
                json.WriteStartObject();
                json.WriteString("type", "subscribed");
                json.WriteString("subscription_id", subscription.SubscriptionId);
                json.WritePropertyName("filters");
                JsonSerializer.Serialize(json, subscription.Filters, HubsJson.Options);
                if (subscription.HistoryTruncated)
                {
                    json.WriteBoolean("history_truncated", true);
                }

                json.WriteEndObject();
                break;
            case (UnsubscribeId, IncidentUnsubscription unsubscription):
                json.WriteStartObject();
                json.WriteString("type", "unsubscribed");
                json.WriteString("subscription_id", unsubscription.SubscriptionId);
                json.WriteEndObject();
                break;
        }
    }

    protected override void WriteError(string? code, string message, Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", "error");
        json.WriteString("code", LegacyCode(code));
        json.WriteString("message", message);
        json.WriteEndObject();
    }

    protected override void WritePong(string? timestamp, Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", "pong");
        if (timestamp is not null)
        {
            json.WritePropertyName("timestamp");
            json.WriteRawValue(timestamp, skipInputValidation: true);
        }

        WriteTimestamp(json, "server_time", Time.GetUtcNow());
        json.WriteEndObject();
    }

    /// <summary>Seed 004 knows five codes; the hubs' other limits are rate limits to its clients.</summary>
    private static string LegacyCode(string? code) => code switch
    {
        HubErrorCodes.InvalidMessage or HubErrorCodes.Unsupported or HubErrorCodes.NotFound
            or HubErrorCodes.Unauthorized or HubErrorCodes.RateLimited => code,
        HubErrorCodes.LimitExceeded or HubErrorCodes.Busy => HubErrorCodes.RateLimited,
        _ => HubErrorCodes.InvalidMessage,
    };
}
