namespace Hubs.Server.Schema;

/// <summary>A record property by its wire name. Non-nullable properties are always present on the wire.</summary>
internal sealed record ContractProperty(string WireName, WireType Type, string? Doc)
{
    public bool Required => !Type.Nullable;
}
