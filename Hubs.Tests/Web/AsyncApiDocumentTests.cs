using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hubs.Contracts;
using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Web;

/// <summary>
/// <c>GET /asyncapi.json</c> describes every hub method and callback with the contracts' shapes and every legacy
/// protocol, in a structurally valid AsyncAPI 3 document (every reference resolves, operations use their channel's messages).
/// </summary>
public sealed class AsyncApiDocumentTests : IAsyncLifetime
{
    private HubsServer _server = null!;
    private JsonObject _document = null!;

    public async Task InitializeAsync()
    {
        _server = await HubsServer.StartAsync();
        using var response = await _server.Http.GetAsync("/asyncapi.json");
        response.EnsureSuccessStatusCode();
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        _document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void AsyncApi_Served_HasTheAsyncApi3Structure()
    {
        _document["asyncapi"]!.GetValue<string>().Should().Be("3.0.0");
        _document["info"]!["title"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        _document["info"]!["version"]!.GetValue<string>().Should().MatchRegex(@"^\d+\.\d+\.\d+$");
        _document["defaultContentType"]!.GetValue<string>().Should().Be("application/json");
        _document["components"]!["messages"]!.AsObject().Should().NotBeEmpty();
        _document["components"]!["schemas"]!.AsObject().Should().NotBeEmpty();

        var channels = _document["channels"]!.AsObject();
        channels.Should().NotBeEmpty();
        foreach (var (id, channel) in channels)
        {
            channel!["address"]!.GetValue<string>().Should().StartWith("/", $"channel {id} has an address");
            channel["messages"]!.AsObject().Should().NotBeEmpty($"channel {id} has messages");
        }

        var operations = _document["operations"]!.AsObject();
        operations.Should().NotBeEmpty();
        foreach (var (id, operation) in operations)
        {
            operation!["action"]!.GetValue<string>().Should().BeOneOf(["send", "receive"], $"operation {id}");
            var channelRef = operation["channel"]!["$ref"]!.GetValue<string>();
            Resolve(channelRef).Should().NotBeNull($"operation {id} references channel {channelRef}");
            var replyMessages = operation["reply"]?["messages"]?.AsArray() ?? [];
            foreach (var message in operation["messages"]!.AsArray().Concat(replyMessages))
            {
                // AsyncAPI 3: an operation's messages are references to messages of its channel.
                message!["$ref"]!.GetValue<string>().Should().StartWith(channelRef + "/messages/", $"operation {id} uses its channel's messages");
            }
        }

        foreach (var reference in References(_document))
        {
            Resolve(reference).Should().NotBeNull($"{reference} must resolve");
        }
    }

    [Fact]
    public void AsyncApi_EveryHubMethodAndCallback_AppearsWithTheContractsMessageShapes()
    {
        foreach (var hub in ContractSurface.Hubs())
        {
            var (channelId, _) = _document["channels"]!.AsObject().Single(c => c.Value!["address"]!.GetValue<string>() == hub.Route);
            var operations = _document["operations"]!.AsObject().Where(o => o.Value!["channel"]!["$ref"]!.GetValue<string>() == "#/channels/" + channelId).ToList();

            foreach (var method in hub.ServerMethods)
            {
                var operation = operations.Single(o => Message(o.Value!["messages"]![0]!)["x-signalr"]!["target"]!.GetValue<string>() == method.Name
                    && o.Value!["action"]!.GetValue<string>() == "receive").Value!;
                var invocation = Message(operation["messages"]![0]!);
                invocation["x-signalr"]!["kind"]!.GetValue<string>().Should().Be(ContractSurface.IsStream(method) ? "stream-invocation" : "invocation");
                AssertArguments(invocation["payload"]!, ContractSurface.WireParameters(method).ToList(), $"{hub.Name}.{method.Name}");

                var reply = Message(operation["reply"]!["messages"]![0]!);
                var result = ContractSurface.ResultType(method);
                if (result is null)
                {
                    reply["payload"]!["type"]!.GetValue<string>().Should().Be("null", $"{hub.Name}.{method.Name} returns no result");
                }
                else
                {
                    AssertSchemaFor(reply["payload"]!, result, $"{hub.Name}.{method.Name} result");
                }
            }

            foreach (var callback in hub.Callbacks)
            {
                var operation = operations.Single(o => Message(o.Value!["messages"]![0]!)["x-signalr"]!["target"]!.GetValue<string>() == callback.Name).Value!;
                operation["action"]!.GetValue<string>().Should().Be("send", $"the service sends {callback.Name}");
                AssertArguments(Message(operation["messages"]![0]!)["payload"]!, [.. callback.GetParameters()], $"{hub.Name}.{callback.Name}");
            }
        }
    }

    [Fact]
    public void AsyncApi_EveryContractRecord_HasASchemaWithTheSerializersPropertyNames()
    {
        var schemas = _document["components"]!["schemas"]!.AsObject();
        var contracts = typeof(HubRoutes).Assembly.GetExportedTypes().Where(t => t.IsEnum || (t.IsClass && !(t.IsAbstract && t.IsSealed)));
        foreach (var type in contracts)
        {
            var schema = schemas[type.Name]?.AsObject();
            schema.Should().NotBeNull($"{type.Name} is a contract type");
            if (type.IsEnum)
            {
                var wire = Enum.GetValues(type).Cast<object>().Select(v => JsonSerializer.Serialize(v, type, HubsJson.Options).Trim('"'));
                schema!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Should().BeEquivalentTo(wire);
                continue;
            }

            var properties = HubsJson.Options.GetTypeInfo(type).Properties;
            schema!["properties"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(properties.Select(p => p.Name), $"{type.Name} properties");
            var required = schema["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
            var nullability = new NullabilityInfoContext();
            foreach (var property in properties)
            {
                var nullable = nullability.Create((PropertyInfo)property.AttributeProvider!).ReadState == NullabilityState.Nullable;
                required.Contains(property.Name).Should().Be(!nullable, $"{type.Name}.{property.Name} is {(nullable ? "nullable (omitted when null)" : "always present")}");
            }
        }
    }

    [Theory]
    [InlineData("/ws/stream-generation", "server_generation_update", "GenerationUpdate")]
    [InlineData("/ws/stream-generation", "client_generation_request", "GenerationRequest")]
    [InlineData("/api/ws/{user_id}", "server_chat", "ChatMessage")]
    [InlineData("/api/ws/{user_id}", "server_notification", "UserNotification")]
    [InlineData("/ws/projects", "client_forward", "ForwardRequest")]
    [InlineData("/ws", "server_event", "IncidentEventEnvelope")]
    [InlineData("/ws", "client_subscribe", "IncidentFilter")]
    public void AsyncApi_LegacyProtocol_DescribesItsMessagesWithContractShapes(string address, string message, string contractType)
    {
        // Two protocols share /ws (projects with ?project_id=, incidents without), so look at every channel at the address.
        var payloads = _document["channels"]!.AsObject()
            .Where(c => c.Value!["address"]!.GetValue<string>() == address && c.Value["messages"]![message] is not null)
            .Select(c => Message(c.Value!["messages"]![message]!)["payload"]!.ToJsonString())
            .ToList();
        payloads.Should().NotBeEmpty($"{address} is a legacy path with a {message} message");
        payloads.Should().Contain(p => p.Contains($"\"#/components/schemas/{contractType}\"", StringComparison.Ordinal), $"{address} {message} uses the {contractType} contract");
    }

    [Fact]
    public void AsyncApi_LegacyProtocols_CoverEveryLegacyPathAndTypedMessage()
    {
        var channels = _document["channels"]!.AsObject().Select(c => c.Value!).ToList();
        channels.Select(c => c["address"]!.GetValue<string>()).Should().Contain(["/ws/stream-generation", "/api/ws/{user_id}", "/ws/projects", "/ws"]);
        channels.Single(c => c["address"]!.GetValue<string>() == "/api/ws/{user_id}")["parameters"]!["user_id"].Should().NotBeNull();

        var incidents = channels.Single(c => c["address"]!.GetValue<string>() == "/ws" && c["messages"]!["server_welcome"] is not null);
        var error = Message(incidents["messages"]!["server_error"]!)["payload"]!;
        error["properties"]!["code"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>())
            .Should().BeEquivalentTo(typeof(HubErrorCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!));

        // Every legacy frame is told apart by a constant "type" or "action", or is a contract shape that has "type".
        foreach (var channel in channels.Where(c => !c["address"]!.GetValue<string>().StartsWith("/hubs/", StringComparison.Ordinal)))
        {
            foreach (var (key, reference) in channel["messages"]!.AsObject())
            {
                var text = Message(reference!)["payload"]!.ToJsonString();
                (text.Contains("\"const\"", StringComparison.Ordinal) || text.Contains("#/components/schemas/", StringComparison.Ordinal) || text.Contains("\"type\":{\"type\":\"string\"}", StringComparison.Ordinal))
                    .Should().BeTrue($"{channel["address"]} {key} is identifiable");
            }
        }
    }

    private void AssertArguments(JsonNode payload, IReadOnlyList<ParameterInfo> parameters, string where)
    {
        payload["type"]!.GetValue<string>().Should().Be("array", $"{where} is a SignalR arguments array");
        payload["maxItems"]!.GetValue<int>().Should().Be(parameters.Count, where);
        if (parameters.Count == 0)
        {
            return;
        }

        payload["minItems"]!.GetValue<int>().Should().Be(parameters.Count, where);
        var items = payload["items"]!.AsArray();
        items.Should().HaveCount(parameters.Count, where);
        var nullability = new NullabilityInfoContext();
        for (var i = 0; i < parameters.Count; i++)
        {
            items[i]!["title"]!.GetValue<string>().Should().Be(parameters[i].Name, $"{where} argument {i}");
            var nullable = nullability.Create(parameters[i]).ReadState == NullabilityState.Nullable;
            AssertSchemaFor(items[i]!, parameters[i].ParameterType, $"{where}({parameters[i].Name})");
            if (parameters[i].ParameterType == typeof(string))
            {
                items[i]!["type"]!.ToJsonString().Should().Be(nullable ? "[\"string\",\"null\"]" : "\"string\"", $"{where}({parameters[i].Name}) nullability");
            }
        }
    }

    private static void AssertSchemaFor(JsonNode schema, Type type, string where)
    {
        var text = schema.ToJsonString();
        if (type.Assembly == typeof(HubRoutes).Assembly)
        {
            text.Should().Contain($"\"$ref\":\"#/components/schemas/{type.Name}\"", where);
        }
        else if (type == typeof(string))
        {
            text.Should().Contain("\"string\"", where);
        }
        else if (type == typeof(JsonElement))
        {
            text.Should().NotContain("\"type\"", $"{where} is any JSON value");
        }
        else
        {
            throw new InvalidOperationException($"{where}: add an expectation for {type.Name}.");
        }
    }

    private JsonObject Message(JsonNode reference)
    {
        var node = Resolve(reference["$ref"]!.GetValue<string>())!;
        return (node["$ref"] is null ? node : Resolve(node["$ref"]!.GetValue<string>())!).AsObject();
    }

    private JsonNode? Resolve(string reference)
    {
        reference.Should().StartWith("#/");
        JsonNode? node = _document;
        foreach (var part in reference[2..].Split('/'))
        {
            node = node?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }

        return node;
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" ? [p.Value!.GetValue<string>()] : References(p.Value)),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };
}
