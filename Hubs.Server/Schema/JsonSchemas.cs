using System.Text.Json.Nodes;

namespace Hubs.Server.Schema;

/// <summary>
/// JSON Schema (the draft-07 subset AsyncAPI 3 schemas use) for contract types. Records and enums are components
/// referenced as <c>#/components/schemas/{Name}</c>; nullable members accept <c>null</c> and are not required,
/// because the server omits nulls when it writes.
/// </summary>
internal static class JsonSchemas
{
    public const string ComponentPrefix = "#/components/schemas/";

    public static JsonObject Component(ContractType type)
    {
        var schema = new JsonObject();
        if (type.IsEnum)
        {
            schema["type"] = "string";
            schema["enum"] = new JsonArray([.. type.EnumValues.Select(v => JsonValue.Create(v))]);
        }
        else
        {
            schema["type"] = "object";
            var properties = new JsonObject();
            foreach (var property in type.Properties)
            {
                var propertySchema = For(property.Type);
                if (property.Doc is not null && !propertySchema.ContainsKey("$ref") && !propertySchema.ContainsKey("oneOf"))
                {
                    propertySchema["description"] = property.Doc;
                }

                properties[property.WireName] = propertySchema;
            }

            schema["properties"] = properties;
            schema["required"] = new JsonArray([.. type.Properties.Where(p => p.Required).Select(p => JsonValue.Create(p.WireName))]);
        }

        if (type.Doc is not null)
        {
            schema["description"] = type.Doc;
        }

        return schema;
    }

    public static JsonObject For(WireType type)
    {
        var schema = type.Kind switch
        {
            WireTypeKind.String => Typed("string"),
            WireTypeKind.Boolean => Typed("boolean"),
            WireTypeKind.Integer => Typed("integer"),
            WireTypeKind.Number => Typed("number"),
            WireTypeKind.DateTime => new JsonObject { ["type"] = "string", ["format"] = "date-time" },
            WireTypeKind.Json => new JsonObject { ["description"] = "Any JSON value." },
            WireTypeKind.Array => new JsonObject { ["type"] = "array", ["items"] = For(type.Element!) },
            WireTypeKind.Map => new JsonObject { ["type"] = "object", ["additionalProperties"] = For(type.Element!) },
            WireTypeKind.Record or WireTypeKind.Enum => Ref(type.Named!.Name),
            _ => throw new InvalidOperationException($"No JSON Schema for {type.Kind}."),
        };

        if (!type.Nullable || type.Kind == WireTypeKind.Json)
        {
            return schema;
        }

        if (schema["type"] is JsonValue single)
        {
            schema["type"] = new JsonArray(single.GetValue<string>(), "null");
            return schema;
        }

        return new JsonObject { ["oneOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
    }

    public static JsonObject Ref(string component) => new() { ["$ref"] = ComponentPrefix + component };

    /// <summary>A SignalR <c>arguments</c> array: one schema per position, no more and no fewer.</summary>
    public static JsonObject Arguments(IReadOnlyList<ContractParameter> parameters)
    {
        var items = new JsonArray();
        foreach (var parameter in parameters)
        {
            var schema = For(parameter.Type);
            schema = schema.ContainsKey("$ref") || schema.ContainsKey("oneOf") ? new JsonObject { ["allOf"] = new JsonArray(schema) } : schema;
            schema["title"] = parameter.Name;
            items.Add(schema);
        }

        // Draft 07 wants a non-empty tuple in "items"; no arguments is just an empty array.
        return parameters.Count == 0
            ? new JsonObject { ["type"] = "array", ["maxItems"] = 0 }
            : new JsonObject
            {
                ["type"] = "array",
                ["items"] = items,
                ["additionalItems"] = false,
                ["minItems"] = parameters.Count,
                ["maxItems"] = parameters.Count,
            };
    }

    private static JsonObject Typed(string type) => new() { ["type"] = type };
}
