using System.Buffers;
using System.Text.Json;

namespace Hubs.Server.Scaleout.Redis;

/// <summary>
/// The JSON envelope of every message on a hub channel (UTF-8; one envelope per message, published unchanged to
/// each channel it goes to):
/// <code>
/// {"t":"send","o":instance,"x":[excluded connection ids],"m":method,"a":[arguments]}   all/group/user/connection
/// {"t":"add"|"remove","o":instance,"r":request,"g":group}                           connection channel
/// {"t":"invoke","o":instance,"r":request,"m":method,"a":[arguments]}                  connection channel (client result)
/// {"t":"ack","r":request}                                                          instance channel
/// {"t":"result","r":request,"e":error}  or  {"t":"result","r":request,"v":value}       instance channel
/// </code>
/// Arguments are serialized once with the hub's JSON payload options; the receiving instance wraps them (as
/// <see cref="JsonElement"/>s) in one SerializedHubMessage, which serializes lazily per protocol its recipients use.
/// <c>o</c> lets the sender skip its own message: it has delivered locally already, so Redis being down never
/// stops local delivery.
/// </summary>
internal sealed record RedisHubMessage(
    string Type,
    string? Origin,
    long Request,
    string? Method,
    JsonElement[]? Arguments,
    string[]? Excluded,
    string? Group,
    string? Error,
    JsonElement? Value)
{
    public const string Send = "send";
    public const string Add = "add";
    public const string Remove = "remove";
    public const string Invoke = "invoke";
    public const string Ack = "ack";
    public const string Result = "result";

    public static byte[] WriteSend(string origin, string method, object?[] args, IReadOnlyList<string>? excluded, JsonSerializerOptions options)
        => Write(w =>
        {
            w.WriteString("t", Send);
            w.WriteString("o", origin);
            if (excluded is { Count: > 0 })
            {
                w.WriteStartArray("x");
                foreach (var id in excluded)
                {
                    w.WriteStringValue(id);
                }

                w.WriteEndArray();
            }

            w.WriteString("m", method);
            WriteArguments(w, args, options);
        });

    public static byte[] WriteGroupChange(string type, string origin, long request, string group)
        => Write(w =>
        {
            w.WriteString("t", type);
            w.WriteString("o", origin);
            w.WriteNumber("r", request);
            w.WriteString("g", group);
        });

    public static byte[] WriteInvoke(string origin, long request, string method, object?[] args, JsonSerializerOptions options)
        => Write(w =>
        {
            w.WriteString("t", Invoke);
            w.WriteString("o", origin);
            w.WriteNumber("r", request);
            w.WriteString("m", method);
            WriteArguments(w, args, options);
        });

    public static byte[] WriteAck(long request)
        => Write(w =>
        {
            w.WriteString("t", Ack);
            w.WriteNumber("r", request);
        });

    public static byte[] WriteResult(long request, string? error, ReadOnlySequence<byte> rawValue)
        => Write(w =>
        {
            w.WriteString("t", Result);
            w.WriteNumber("r", request);
            if (error is not null)
            {
                w.WriteString("e", error);
            }
            else
            {
                w.WritePropertyName("v");
                if (rawValue.IsEmpty)
                {
                    w.WriteNullValue();
                }
                else
                {
                    w.WriteRawValue(rawValue, skipInputValidation: false);
                }
            }
        });

    public static RedisHubMessage Read(ReadOnlySpan<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8.ToArray());
        var root = document.RootElement;
        return new RedisHubMessage(
            root.GetProperty("t").GetString()!,
            root.TryGetProperty("o", out var o) ? o.GetString() : null,
            root.TryGetProperty("r", out var r) ? r.GetInt64() : 0,
            root.TryGetProperty("m", out var m) ? m.GetString() : null,
            root.TryGetProperty("a", out var a) ? [.. a.EnumerateArray().Select(e => e.Clone())] : null,
            root.TryGetProperty("x", out var x) ? [.. x.EnumerateArray().Select(e => e.GetString()!)] : null,
            root.TryGetProperty("g", out var g) ? g.GetString() : null,
            root.TryGetProperty("e", out var e) ? e.GetString() : null,
            root.TryGetProperty("v", out var v) ? v.Clone() : null);
    }

    private static void WriteArguments(Utf8JsonWriter w, object?[] args, JsonSerializerOptions options)
    {
        w.WriteStartArray("a");
        foreach (var arg in args)
        {
            if (arg is null)
            {
                w.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(w, arg, arg.GetType(), options);
            }
        }

        w.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
