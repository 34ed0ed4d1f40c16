namespace Hubs.Server.Schema;

/// <summary>
/// A contract member's type as it appears on the wire. <see cref="Named"/> is the contract type of a record or enum;
/// <see cref="Element"/> the item type of an array or the value type of a map.
/// </summary>
internal sealed record WireType(WireTypeKind Kind, bool Nullable, Type? Named = null, WireType? Element = null);
