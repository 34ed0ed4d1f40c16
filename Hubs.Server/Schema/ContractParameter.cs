namespace Hubs.Server.Schema;

/// <summary>A hub method argument, in call order (SignalR arguments are positional).</summary>
internal sealed record ContractParameter(string Name, WireType Type);
