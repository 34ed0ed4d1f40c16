namespace Hubs.Server.Schema;

/// <summary>One hub: its route, its server methods (<c>I*Hub</c>) and client callbacks (<c>I*Client</c>).</summary>
internal sealed record ContractHub(
    string Name,
    string Module,
    string Route,
    string? Doc,
    string? ClientDoc,
    IReadOnlyList<ContractMethod> ServerMethods,
    IReadOnlyList<ContractMethod> Callbacks);
