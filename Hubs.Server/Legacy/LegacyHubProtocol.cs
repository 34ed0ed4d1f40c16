using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using Hubs.Contracts;
using Hubs.Server.Observability;
using Hubs.Server.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hubs.Server.Legacy;

/// <summary>
/// The base of the four legacy protocols: an <see cref="IHubProtocol"/> that reads one legacy JSON object per record
/// (the bridge appends 0x1e to every WebSocket message) and writes each hub message as at most one legacy JSON object
/// plus 0x1e (the bridge sends each record as one text frame; a message with no legacy form writes nothing).
/// <para>
/// Replies the hubs do not produce travel through SignalR's own error path, so they stay in order with everything
/// else the connection sends: a malformed frame becomes an <see cref="InvocationBindingFailureMessage"/> carrying
/// <c>CODE: text</c>, which the dispatcher answers with an error completion that the protocol writes as its error
/// message; a ping becomes one whose invocation id carries the timestamp to echo. Hub results and errors come back as
/// completions and are translated by invocation id (one id per client action, defined by each protocol).
/// </para>
/// <para>
/// SignalR lists every registered protocol as supported by every hub, so a SignalR client could name one of these in
/// its handshake on <c>/hubs/*</c>. They accept only <see cref="BridgeVersion"/>, which SignalR clients do not send; and
/// a client that sent it anyway would only talk to the same hub, through the same authorization and filters.
/// </para>
/// </summary>
internal abstract class LegacyHubProtocol : IHubProtocol
{
    /// <summary>The handshake version the bridge sends; the legacy protocols accept no other.</summary>
    public const int BridgeVersion = 1_000_600;

    internal const byte RecordSeparator = 0x1e;

    /// <summary>Invocation id of frames rejected by the protocol itself.</summary>
    protected const string RejectedId = "legacy:rejected";

    private const string PongPrefix = "legacy:pong:";

    protected LegacyHubProtocol(HubsMetrics metrics, TimeProvider time)
    {
        Metrics = metrics;
        Time = time;
    }

    public abstract string Name { get; }

    public int Version => BridgeVersion;

    public TransferFormat TransferFormat => TransferFormat.Text;

    /// <summary>True when the bridge applies <c>Legacy:SessionTimeoutSeconds</c> to this protocol's sockets.</summary>
    public virtual bool HasIdleRule => false;

    protected HubsMetrics Metrics { get; }

    protected TimeProvider Time { get; }

    public bool IsVersionSupported(int version) => version == BridgeVersion;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var end = input.PositionOf(RecordSeparator);
        if (end is null)
        {
            message = null;
            return false;
        }

        var payload = input.Slice(0, end.Value);
        input = input.Slice(input.GetPosition(1, end.Value));
        message = Parse(payload);
        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output);
        Write(message, json);
        json.Flush();
        if (json.BytesCommitted > 0)
        {
            output.GetSpan(1)[0] = RecordSeparator;
            output.Advance(1);
        }
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteMessage(message, buffer);
        return buffer.WrittenCount == 0 ? ReadOnlyMemory<byte>.Empty : buffer.WrittenMemory;
    }

    /// <summary>The first frame a client receives (<c>connected</c>, <c>connection</c>, <c>welcome</c>).</summary>
    public abstract ReadOnlyMemory<byte> ConnectedFrame(string connectionId, HttpContext context);

    /// <summary>The protocol's goodbye before the bridge closes the socket for <paramref name="reason"/>; null for none.</summary>
    public virtual ReadOnlyMemory<byte>? GoodbyeFrame(LegacyCloseReason reason) => null;

    /// <summary>Frames the bridge feeds to the hub as if the client had sent them first (a subscription named in the query).</summary>
    public virtual IReadOnlyList<string> InitialClientFrames(HttpContext context) => [];

    /// <summary>An error frame the bridge sends itself (a binary frame arrived).</summary>
    public ReadOnlyMemory<byte> ErrorFrame(string code, string message) => Frame(json => WriteError(code, message, json));

    /// <summary>Turns one client JSON object into a hub message (use <see cref="Invoke"/>, <see cref="Reject"/>, <see cref="Pong"/>).</summary>
    protected abstract HubMessage Translate(JsonElement frame);

    /// <summary>Writes a hub-to-client invocation (a callback such as <c>ProjectUpdated</c>); writing nothing drops it.</summary>
    protected abstract void WriteCallback(string target, object?[] arguments, Utf8JsonWriter json);

    /// <summary>Writes a successful completion (the hub method's result) of <paramref name="invocationId"/>; nothing for no reply.</summary>
    protected virtual void WriteResult(string? invocationId, object? result, Utf8JsonWriter json)
    {
    }

    /// <summary>Writes one streamed item.</summary>
    protected virtual void WriteStreamItem(object? item, Utf8JsonWriter json)
    {
    }

    /// <summary>Writes the protocol's error message. <paramref name="code"/> is a <see cref="HubErrorCodes"/> value or null.</summary>
    protected abstract void WriteError(string? code, string message, Utf8JsonWriter json);

    /// <summary>Writes the answer to a ping; <paramref name="timestamp"/> is the raw JSON the client sent, or null.</summary>
    protected abstract void WritePong(string? timestamp, Utf8JsonWriter json);

    protected static InvocationMessage Invoke(string invocationId, string target, params object?[] arguments) => new(invocationId, target, arguments);

    /// <summary>Rejects a frame: the client receives the protocol's error with this code and text; the socket stays open.</summary>
    protected HubMessage Reject(string code, string message, string errorType = MessageErrorTypes.ValidationError)
    {
        Metrics.MessageError(errorType);
        return new InvocationBindingFailureMessage(RejectedId, "legacy", ExceptionDispatchInfo.Capture(new HubException(HubErrorCodes.Format(code, message))));
    }

    /// <summary>Answers a ping in order with everything else; the frame's <paramref name="field"/> is echoed when present.</summary>
    protected static HubMessage Pong(JsonElement frame, string field = "timestamp")
    {
        var raw = frame.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Undefined ? value.GetRawText() : string.Empty;
        return new InvocationBindingFailureMessage(PongPrefix + raw, "ping", ExceptionDispatchInfo.Capture(new HubException("pong")));
    }

    /// <summary>Reads an optional string field; false (and a rejection to return) when it is present with another type.</summary>
    protected bool TryGetString(JsonElement frame, string field, out string? value, [NotNullWhen(false)] out HubMessage? rejection)
    {
        rejection = null;
        value = null;
        if (!frame.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            rejection = Reject(HubErrorCodes.InvalidMessage, $"{field} must be a string");
            return false;
        }

        value = element.GetString();
        return true;
    }

    /// <summary>An optional field as it came (<c>default</c> when missing).</summary>
    protected static JsonElement GetElement(JsonElement frame, string field) => frame.TryGetProperty(field, out var element) ? element : default;

    protected static void WriteTimestamp(Utf8JsonWriter json, string name, DateTimeOffset value) => json.WriteString(name, value.UtcDateTime);

    protected static void WriteRaw(Utf8JsonWriter json, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Undefined)
        {
            json.WritePropertyName(name);
            value.WriteTo(json);
        }
    }

    /// <summary>A complete frame (without the record separator) for the bridge to send itself.</summary>
    protected static ReadOnlyMemory<byte> Frame(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return buffer.WrittenMemory;
    }

    private HubMessage Parse(ReadOnlySequence<byte> payload)
    {
        JsonElement frame;
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 64 });
            frame = JsonElement.ParseValue(ref reader);

            // A second value after the first ("{} {}") is not one message.
            if (reader.Read())
            {
                return Reject(HubErrorCodes.InvalidMessage, "a frame must hold exactly one JSON object", MessageErrorTypes.ParseError);
            }
        }
        catch (JsonException)
        {
            return Reject(HubErrorCodes.InvalidMessage, "the frame is not valid JSON", MessageErrorTypes.ParseError);
        }

        if (frame.ValueKind != JsonValueKind.Object)
        {
            return Reject(HubErrorCodes.InvalidMessage, "a frame must be a JSON object", MessageErrorTypes.ParseError);
        }

        return Translate(frame);
    }

    private void Write(HubMessage message, Utf8JsonWriter json)
    {
        switch (message)
        {
            case InvocationMessage invocation:
                WriteCallback(invocation.Target, invocation.Arguments, json);
                break;
            case StreamItemMessage item:
                WriteStreamItem(item.Item, json);
                break;
            case CompletionMessage completion when completion.InvocationId is { } id && id.StartsWith(PongPrefix, StringComparison.Ordinal):
                WritePong(id.Length > PongPrefix.Length ? id[PongPrefix.Length..] : null, json);
                break;
            case CompletionMessage { Error: { } error }:
                var (code, text) = HubErrorCodes.Parse(error);
                WriteError(code, text, json);
                break;
            case CompletionMessage completion:
                WriteResult(completion.InvocationId, completion.HasResult ? completion.Result : null, json);
                break;
            case CloseMessage { Error: { } closeError }:
                var (closeCode, closeText) = HubErrorCodes.Parse(closeError);
                WriteError(closeCode, closeText, json);
                break;
        }
    }

    /// <summary>UTF-8 bytes of a literal, for frames that never change.</summary>
    protected static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
