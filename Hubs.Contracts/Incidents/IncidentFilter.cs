namespace Hubs.Contracts.Incidents;

/// <summary>
/// Which incident events a subscription wants. Every list is optional; a missing or empty list matches
/// everything. <see cref="AffectedResources"/> matches when any of the incident's resources is listed;
/// <see cref="Labels"/> must match all its pairs. All parts are AND-ed.
/// </summary>
public sealed record IncidentFilter
{
    public IReadOnlyList<string>? EventTypes { get; init; }

    public IReadOnlyList<string>? Severities { get; init; }

    public IReadOnlyList<string>? States { get; init; }

    public IReadOnlyList<string>? Sources { get; init; }

    public IReadOnlyList<string>? AffectedResources { get; init; }

    public IReadOnlyList<string>? IncidentIds { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
