namespace Hubs.Contracts.Incidents;

/// <summary>
/// An incident as backends publish it. Wire: <c>{"id","title","severity":"P0".."P4","state","source",
/// "affected_resources":[...],"labels":{...}}</c>.
/// </summary>
public sealed record Incident
{
    public required string Id { get; init; }

    public string? Title { get; init; }

    public required string Severity { get; init; }

    public string? State { get; init; }

    public string? Source { get; init; }

    public IReadOnlyList<string>? AffectedResources { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
