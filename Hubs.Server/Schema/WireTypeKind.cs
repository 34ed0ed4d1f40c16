namespace Hubs.Server.Schema;

/// <summary>The JSON shapes a contract member can have on the wire.</summary>
internal enum WireTypeKind
{
    String,
    Boolean,
    Integer,
    Number,
    DateTime,

    /// <summary>Any JSON value (<see cref="System.Text.Json.JsonElement"/>).</summary>
    Json,
    Array,

    /// <summary>A JSON object with string keys and values of one type.</summary>
    Map,
    Record,
    Enum,
}
