namespace Hubs.Server.Schema;

/// <summary>A message record or wire enum of Hubs.Contracts. <see cref="Module"/> is its namespace's short name (<c>incidents</c>).</summary>
internal sealed record ContractType(
    Type Clr,
    string Module,
    string? Doc,
    IReadOnlyList<ContractProperty> Properties,
    IReadOnlyList<string> EnumValues)
{
    public string Name => Clr.Name;

    public bool IsEnum => Clr.IsEnum;
}
