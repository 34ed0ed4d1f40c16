using System.Globalization;
using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Generation;
using Hubs.Server.Observability;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hubs.Server.Legacy;

/// <summary>
/// <c>/ws/stream-generation</c> (LEGACY.md section 1, seed 000) onto <see cref="IGenerationHub"/>. A request (an
/// object without <c>type</c>) is a <c>Generate</c> stream invocation; each <see cref="GenerationUpdate"/> item is one
/// frame (<c>agent_start</c>, <c>content_chunk</c>, <c>agent_complete</c>, <c>complete</c>, <c>error</c>); a refused
/// request or a failed stream is <c>{"type":"error","message","timestamp"}</c>. One generation at a time per socket is
/// held by <see cref="LegacyGenerationGate"/>.
/// </summary>
internal sealed class GenerationLegacyProtocol(HubsMetrics metrics, TimeProvider time) : LegacyHubProtocol(metrics, time)
{
    public const string ProtocolName = "legacy-generation";

    private static readonly ReadOnlyMemory<byte> Shutdown = Utf8("""{"type":"shutdown","message":"Server is shutting down, please reconnect"}""");

    // Stream ids must differ per request: SignalR keeps a finished stream's id a moment after its last item.
    private long _nextStream;

    public override string Name => ProtocolName;

    public override ReadOnlyMemory<byte> ConnectedFrame(string connectionId, HttpContext context) => Frame(json =>
    {
        json.WriteStartObject();
        json.WriteString("type", "connected");
        json.WriteString("client_id", connectionId);
        json.WriteString("message", "WebSocket connection established");
        json.WriteEndObject();
    });

    public override ReadOnlyMemory<byte>? GoodbyeFrame(LegacyCloseReason reason) => reason == LegacyCloseReason.ServerShutdown ? Shutdown : null;

    protected override HubMessage Translate(JsonElement frame)
    {
        if (frame.TryGetProperty("type", out var type))
        {
            return Reject(HubErrorCodes.Unsupported, "Unknown message type: " + (type.ValueKind == JsonValueKind.String ? type.GetString() : type.GetRawText()));
        }

        if (!TryGetString(frame, "prompt", out var prompt, out var rejection)
            || !TryGetString(frame, "user_id", out var userId, out rejection)
            || !TryGetString(frame, "brand_profile_id", out var brandProfileId, out rejection)
            || !TryGetString(frame, "project_id", out var projectId, out rejection))
        {
            return rejection;
        }

        var id = "generate:" + Interlocked.Increment(ref _nextStream).ToString(CultureInfo.InvariantCulture);
        // Missing or empty prompt and user_id are refused by the hub, like for every other client.
        return new StreamInvocationMessage(id, nameof(IGenerationHub.Generate), [new GenerationRequest(prompt!, userId!, brandProfileId, projectId)]);
    }

    protected override void WriteCallback(string target, object?[] arguments, Utf8JsonWriter json)
    {
        // The generation hub pushes nothing but its streams.
    }

    protected override void WriteStreamItem(object? item, Utf8JsonWriter json)
    {
        if (item is not GenerationUpdate update)
        {
            return;
        }

        json.WriteStartObject();
        json.WriteString("type", TypeName(update.Type));
        if (update.Agent is not null)
        {
            json.WriteString("agent", update.Agent);
        }

        if (update.Message is not null)
        {
            json.WriteString("message", update.Message);
        }

        if (update.Content is not null)
        {
            json.WriteString("content", update.Content);
        }

        WriteTimestamp(json, "timestamp", update.Timestamp);
        json.WriteEndObject();
    }

    protected override void WriteError(string? code, string message, Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", "error");
        json.WriteString("message", message);
        WriteTimestamp(json, "timestamp", Time.GetUtcNow());
        json.WriteEndObject();
    }

    protected override void WritePong(string? timestamp, Utf8JsonWriter json)
    {
        // Seed 000 has no ping.
    }

    private static string TypeName(GenerationUpdateType type) => type switch
    {
        GenerationUpdateType.AgentStart => "agent_start",
        GenerationUpdateType.ContentChunk => "content_chunk",
        GenerationUpdateType.AgentComplete => "agent_complete",
        GenerationUpdateType.Complete => "complete",
        _ => "error",
    };
}
