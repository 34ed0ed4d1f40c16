using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hubs.Contracts;

/// <summary>
/// The one JSON shape used on every face (SignalR JSON protocol, legacy protocols, publish API):
/// snake_case property names, nulls omitted, enums as their wire strings.
/// </summary>
public static class HubsJson
{
    /// <summary>A frozen instance to serialize contracts with outside of SignalR.</summary>
    public static JsonSerializerOptions Options { get; } = CreateFrozen();

    /// <summary>Applies the Hubs conventions to an options instance (for example SignalR's <c>PayloadSerializerOptions</c>).</summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.PropertyNameCaseInsensitive = false;
        options.MaxDepth = 32;
        return options;
    }

    private static JsonSerializerOptions CreateFrozen()
    {
        var options = Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
