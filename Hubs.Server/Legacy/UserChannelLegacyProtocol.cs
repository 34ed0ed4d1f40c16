using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Study;
using Hubs.Server.Observability;
using Hubs.Server.Security;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hubs.Server.Legacy;

/// <summary>
/// <c>/api/ws/{user_id}</c> (LEGACY.md section 2, seed 001) onto <see cref="IStudyHub"/>: <c>chat</c>,
/// <c>study_update</c>, <c>game_state</c> are hub invocations (their fan-out, presence and rate limit are the hub's);
/// the callbacks <c>Chat</c>, <c>StudyUpdate</c>, <c>GameState</c>, <c>UserDisconnected</c>, <c>Notification</c> are
/// the legacy messages of the same names. Errors are <c>{"type":"error","message"}</c>.
/// </summary>
internal sealed class UserChannelLegacyProtocol(HubsMetrics metrics, TimeProvider time) : LegacyHubProtocol(metrics, time)
{
    public const string ProtocolName = "legacy-user";

    private const string ActionId = "user:action";

    public override string Name => ProtocolName;

    public override ReadOnlyMemory<byte> ConnectedFrame(string connectionId, HttpContext context) => Frame(json =>
    {
        json.WriteStartObject();
        json.WriteString("type", "connection");
        json.WriteString("message", "Connected successfully");
        json.WriteString("user_id", context.Request.RouteValues[HubsUserIdProvider.UserIdParameter] as string);
        json.WriteEndObject();
    });

    protected override HubMessage Translate(JsonElement frame)
    {
        if (!TryGetString(frame, "type", out var type, out var rejection))
        {
            return rejection;
        }

        switch (type)
        {
            case "chat":
                if (!TryGetString(frame, "message", out var message, out rejection))
                {
                    return rejection;
                }

                var timestamp = GetElement(frame, "timestamp");
                var stamp = timestamp.ValueKind switch
                {
                    JsonValueKind.String => timestamp.GetString(),
                    JsonValueKind.Undefined or JsonValueKind.Null => null,
                    _ => timestamp.GetRawText(),
                };
                return Invoke(ActionId, nameof(IStudyHub.SendChat), message, stamp);
            case "study_update":
                return Invoke(ActionId, nameof(IStudyHub.UpdateStudy), GetElement(frame, "data"));
            case "game_state":
                return Invoke(ActionId, nameof(IStudyHub.UpdateGameState), GetElement(frame, "state"));
            case "ping":
                return Pong(frame);
            case null:
                return Reject(HubErrorCodes.InvalidMessage, "Message type is required");
            default:
                return Reject(HubErrorCodes.Unsupported, "Unknown message type: " + type);
        }
    }

    protected override void WriteCallback(string target, object?[] arguments, Utf8JsonWriter json)
    {
        switch (arguments.Length == 1 ? arguments[0] : null)
        {
            case ChatMessage chat:
                json.WriteStartObject();
                json.WriteString("type", "chat");
                json.WriteString("user_id", chat.UserId);
                json.WriteString("message", chat.Message);
                json.WriteString("timestamp", chat.Timestamp);
                json.WriteEndObject();
                break;
            case StudyUpdate study:
                json.WriteStartObject();
                json.WriteString("type", "study_update");
                WriteRaw(json, "data", study.Data);
                json.WriteEndObject();
                break;
            case GameStateUpdate game:
                json.WriteStartObject();
                json.WriteString("type", "game_state");
                json.WriteString("user_id", game.UserId);
                WriteRaw(json, "state", game.State);
                json.WriteEndObject();
                break;
            case UserDisconnected gone:
                json.WriteStartObject();
                json.WriteString("type", "user_disconnected");
                json.WriteString("user_id", gone.UserId);
                json.WriteEndObject();
                break;
            case UserNotification notification:
                json.WriteStartObject();
                json.WriteString("type", notification.Type);
                WriteRaw(json, "data", notification.Data);
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
        if (timestamp is not null)
        {
            json.WritePropertyName("timestamp");
            json.WriteRawValue(timestamp, skipInputValidation: true);
        }

        json.WriteEndObject();
    }
}
