using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hubs.Server.Schema;

/// <summary>
/// Builds the AsyncAPI 3.0 document of the service from the contracts (<see cref="ContractCatalog"/>) and the legacy
/// protocol data (<see cref="LegacyProtocols"/>): one channel per hub path and per legacy path, one operation per
/// message direction (server methods are <c>receive</c> with a <c>reply</c>, callbacks and server frames are
/// <c>send</c>; the document describes the service), and JSON Schemas of every contract type.
/// </summary>
internal static class AsyncApiDocument
{
    private const string HubDescription =
        "A SignalR hub (JSON hub protocol: https://github.com/dotnet/aspnetcore/blob/main/src/SignalR/docs/specs/HubProtocol.md). "
        + "A message's payload is what the frame carries: the arguments array of an invocation, the result of a completion, "
        + "or the item of a stream item; x-signalr names the frame's target and kind. Errors are completions with an error "
        + "\"CODE: message\" (INVALID_MESSAGE, NOT_FOUND, UNAUTHORIZED, RATE_LIMITED...).";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject Build(ContractCatalog catalog)
    {
        var channels = new JsonObject();
        var operations = new JsonObject();
        var messages = new JsonObject();
        var schemas = new JsonObject();

        foreach (var type in catalog.Types)
        {
            schemas[type.Name] = JsonSchemas.Component(type);
        }

        foreach (var hub in catalog.Hubs)
        {
            AddHub(catalog, hub, channels, operations, messages);
        }

        AddLegacy(catalog, channels, operations, messages);

        return new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Hubs",
                ["version"] = catalog.Version,
                ["description"] = "Real-time hubs: four SignalR hubs (/hubs/*) and the legacy raw-JSON WebSocket protocols they replace. "
                    + "Every payload uses snake_case field names; timestamps are ISO 8601 UTC. Generated from Hubs.Contracts.",
            },
            ["defaultContentType"] = "application/json",
            ["channels"] = channels,
            ["operations"] = operations,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["messages"] = messages,
            },
        };
    }

    /// <summary>The document as indented UTF-8 JSON.</summary>
    public static byte[] Serialize(JsonObject document) => JsonSerializer.SerializeToUtf8Bytes(document, Indented);

    /// <summary>The channel id of a hub (<c>incidentsHub</c>).</summary>
    public static string ChannelId(ContractHub hub) => char.ToLowerInvariant(hub.Name[0]) + hub.Name[1..] + "Hub";

    private static void AddHub(ContractCatalog catalog, ContractHub hub, JsonObject channels, JsonObject operations, JsonObject messages)
    {
        var channelId = ChannelId(hub);
        var channelMessages = new JsonObject();

        foreach (var method in hub.ServerMethods)
        {
            var invocation = AddMessage(messages, channelMessages, channelId, hub.Name + "Hub", method.Name, new JsonObject
            {
                ["name"] = method.Name,
                ["title"] = $"{method.Name} (server method)",
                ["summary"] = method.Doc ?? $"Server method {method.Name}.",
                ["payload"] = JsonSchemas.Arguments(method.Parameters),
                ["x-signalr"] = Signalr(method.Name, method.IsStream ? "stream-invocation" : "invocation"),
            });

            var replyKey = method.Name + (method.IsStream ? "Item" : "Result");
            var reply = AddMessage(messages, channelMessages, channelId, hub.Name + "Hub", replyKey, new JsonObject
            {
                ["name"] = replyKey,
                ["title"] = method.IsStream ? $"{method.Name} stream item" : $"{method.Name} result",
                ["summary"] = method.IsStream
                    ? $"One item of the {method.Name} stream; a completion ends the stream (with an error when it failed)."
                    : $"The completion of {method.Name}" + (method.Result is null ? " (no result)." : "."),
                ["payload"] = method.Result is null ? new JsonObject { ["type"] = "null" } : JsonSchemas.For(method.Result),
                ["x-signalr"] = Signalr(method.Name, method.IsStream ? "stream-item" : "completion"),
            });

            operations[channelId + "." + method.Name] = new JsonObject
            {
                ["action"] = "receive",
                ["title"] = method.Name,
                ["summary"] = method.Doc ?? $"Server method {method.Name}.",
                ["channel"] = ChannelRef(channelId),
                ["messages"] = new JsonArray(invocation),
                ["reply"] = new JsonObject
                {
                    ["channel"] = ChannelRef(channelId),
                    ["messages"] = new JsonArray(reply),
                },
            };
        }

        foreach (var callback in hub.Callbacks)
        {
            var message = AddMessage(messages, channelMessages, channelId, hub.Name + "Hub", callback.Name, new JsonObject
            {
                ["name"] = callback.Name,
                ["title"] = $"{callback.Name} (client callback)",
                ["summary"] = callback.Doc ?? $"Client callback {callback.Name}.",
                ["payload"] = JsonSchemas.Arguments(callback.Parameters),
                ["x-signalr"] = Signalr(callback.Name, "invocation"),
            });

            operations[channelId + "." + callback.Name] = new JsonObject
            {
                ["action"] = "send",
                ["title"] = callback.Name,
                ["summary"] = callback.Doc ?? $"Client callback {callback.Name}.",
                ["channel"] = ChannelRef(channelId),
                ["messages"] = new JsonArray(message),
            };
        }

        channels[channelId] = new JsonObject
        {
            ["address"] = hub.Route,
            ["title"] = $"{hub.Name} hub",
            ["description"] = (hub.Doc is null ? string.Empty : hub.Doc + " ") + HubDescription,
            ["messages"] = channelMessages,
            ["bindings"] = WsBinding(new JsonObject { ["access_token"] = "string?" }, catalog),
        };
    }

    private static void AddLegacy(ContractCatalog catalog, JsonObject channels, JsonObject operations, JsonObject messages)
    {
        var legacy = JsonNode.Parse(LegacyProtocols.Json)!.AsObject();
        foreach (var (channelId, node) in legacy)
        {
            var definition = node!.AsObject();
            var sourceId = definition["sameAs"]?.GetValue<string>() ?? channelId;
            var source = legacy[sourceId]!.AsObject();
            var channelMessages = new JsonObject();
            foreach (var (direction, action) in new[] { ("client", "receive"), ("server", "send") })
            {
                foreach (var (name, messageNode) in source[direction]!.AsObject())
                {
                    var spec = messageNode!.AsObject();
                    var key = direction + "_" + name;
                    var componentId = Pascal(sourceId) + "." + key;
                    if (!messages.ContainsKey(componentId))
                    {
                        messages[componentId] = new JsonObject
                        {
                            ["name"] = name,
                            ["title"] = $"{name} ({(direction == "client" ? "client to server" : "server to client")})",
                            ["summary"] = spec["summary"]?.GetValue<string>(),
                            ["contentType"] = "application/json",
                            ["payload"] = Payload(catalog, spec),
                        };
                    }

                    channelMessages[key] = new JsonObject { ["$ref"] = "#/components/messages/" + componentId };
                    var reference = ChannelMessageRef(channelId, key);
                    operations[channelId + "." + key] = new JsonObject
                    {
                        ["action"] = action,
                        ["title"] = name,
                        ["summary"] = spec["summary"]?.GetValue<string>(),
                        ["channel"] = ChannelRef(channelId),
                        ["messages"] = new JsonArray(reference),
                    };
                }
            }

            var channel = new JsonObject
            {
                ["address"] = definition["address"]!.GetValue<string>(),
                ["title"] = definition["title"]!.GetValue<string>(),
                ["description"] = definition["description"]!.GetValue<string>() + " Raw JSON over a WebSocket: one JSON object per text frame.",
                ["messages"] = channelMessages,
            };

            if (definition["parameters"] is JsonObject parameters)
            {
                var described = new JsonObject();
                foreach (var (name, description) in parameters)
                {
                    described[name] = new JsonObject { ["description"] = description!.GetValue<string>() };
                }

                channel["parameters"] = described;
            }

            if (definition["query"] is JsonObject query)
            {
                var fields = new JsonObject();
                foreach (var (name, spec) in query)
                {
                    fields[name] = spec!.GetValue<string>();
                }

                channel["bindings"] = WsBinding(fields, catalog);
            }

            channels[channelId] = channel;
        }
    }

    // Adds a message to components and to the channel; returns the channel-level reference operations must use.
    private static JsonObject AddMessage(JsonObject messages, JsonObject channelMessages, string channelId, string componentPrefix, string key, JsonObject message)
    {
        var componentId = componentPrefix + "." + key;
        if (messages.ContainsKey(componentId))
        {
            throw new InvalidOperationException($"Two messages are named {componentId}; hub methods and callbacks need distinct names.");
        }

        message["contentType"] = "application/json";
        messages[componentId] = message;
        channelMessages[key] = new JsonObject { ["$ref"] = "#/components/messages/" + componentId };
        return ChannelMessageRef(channelId, key);
    }

    private static JsonObject Payload(ContractCatalog catalog, JsonObject spec)
    {
        if (spec["payload"] is JsonValue payload)
        {
            return Field(payload.GetValue<string>(), catalog);
        }

        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var (name, fieldNode) in spec["fields"]!.AsObject())
        {
            var field = fieldNode!.GetValue<string>();
            properties[name] = Field(field, catalog);
            if (!field.EndsWith('?'))
            {
                required.Add(name);
            }
        }

        var own = new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = required };
        return spec["extends"] is JsonValue extends
            ? new JsonObject { ["allOf"] = new JsonArray(Field(extends.GetValue<string>(), catalog), own) }
            : own;
    }

    private static JsonObject Field(string spec, ContractCatalog catalog)
    {
        var optional = spec.EndsWith('?');
        var text = optional ? spec[..^1] : spec;
        if (text.StartsWith('='))
        {
            return new JsonObject { ["type"] = "string", ["const"] = text[1..] };
        }

        if (text.StartsWith('#'))
        {
            var type = catalog.Types.SingleOrDefault(t => t.Name == text[1..])
                ?? throw new InvalidOperationException($"Legacy protocol data refers to {text}, which is not a contract type.");
            return JsonSchemas.Ref(type.Name);
        }

        if (text.StartsWith("const:", StringComparison.Ordinal))
        {
            var constants = catalog.Constants.SingleOrDefault(c => c.Name == text[6..])
                ?? throw new InvalidOperationException($"Legacy protocol data refers to {text}, which is not a contracts constants class.");
            return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. constants.Values.Select(v => JsonValue.Create(v.Value))]) };
        }

        if (text.Contains('|', StringComparison.Ordinal))
        {
            return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. text.Split('|').Select(v => JsonValue.Create(v))]) };
        }

        return text switch
        {
            "string" or "integer" or "boolean" or "object" => new JsonObject { ["type"] = text },
            "date-time" or "uuid" => new JsonObject { ["type"] = "string", ["format"] = text },
            "json" => new JsonObject { ["description"] = "Any JSON value." },
            _ => throw new InvalidOperationException($"Unknown legacy field notation '{spec}'."),
        };
    }

    private static JsonObject WsBinding(JsonObject queryFields, ContractCatalog catalog)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var (name, spec) in queryFields)
        {
            var text = spec!.GetValue<string>();
            properties[name] = Field(text, catalog);
            if (!text.EndsWith('?'))
            {
                required.Add(name);
            }
        }

        var query = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required.Count > 0)
        {
            query["required"] = required;
        }

        return new JsonObject { ["ws"] = new JsonObject { ["bindingVersion"] = "0.1.0", ["query"] = query } };
    }

    private static JsonObject Signalr(string target, string kind) => new() { ["target"] = target, ["kind"] = kind };

    private static JsonObject ChannelRef(string channelId) => new() { ["$ref"] = "#/channels/" + channelId };

    private static JsonObject ChannelMessageRef(string channelId, string key) => new() { ["$ref"] = $"#/channels/{channelId}/messages/{key}" };

    private static string Pascal(string id) => char.ToUpperInvariant(id[0]) + id[1..];
}
