using Hubs.Contracts;
using Hubs.Contracts.Incidents;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Server.Incidents;

/// <summary>
/// A normalized incident filter, compiled to sets once per subscription (matching runs once per event per
/// subscription on the hot path). Rules (LEGACY.md §4): every list optional, empty or missing matches
/// everything; <c>affected_resources</c> matches when any resource is listed; <c>labels</c> must match all
/// pairs; all parts AND-ed. Values compare exactly (ordinal).
/// </summary>
internal sealed class IncidentFilterMatcher
{
    private readonly HashSet<string>? _eventTypes;
    private readonly HashSet<string>? _severities;
    private readonly HashSet<string>? _states;
    private readonly HashSet<string>? _sources;
    private readonly HashSet<string>? _resources;
    private readonly HashSet<string>? _incidentIds;
    private readonly KeyValuePair<string, string>[]? _labels;

    private IncidentFilterMatcher(IncidentFilter normalized)
    {
        Filter = normalized;
        _eventTypes = ToSet(normalized.EventTypes);
        _severities = ToSet(normalized.Severities);
        _states = ToSet(normalized.States);
        _sources = ToSet(normalized.Sources);
        _resources = ToSet(normalized.AffectedResources);
        _incidentIds = ToSet(normalized.IncidentIds);
        _labels = normalized.Labels is null ? null : [.. normalized.Labels];
    }

    /// <summary>The filter as normalized: empty lists and empty label sets dropped, duplicates removed.</summary>
    public IncidentFilter Filter { get; }

    /// <summary>Normalizes and validates a client's filter; unknown event types or severities are a clear error.</summary>
    public static IncidentFilterMatcher Create(IncidentFilter? filter)
    {
        filter ??= new IncidentFilter();
        var normalized = new IncidentFilter
        {
            EventTypes = Normalize(filter.EventTypes, "event_types", IncidentEventTypes.All),
            Severities = Normalize(filter.Severities, "severities", IncidentEventTypes.Severities),
            States = Normalize(filter.States, "states", known: null),
            Sources = Normalize(filter.Sources, "sources", known: null),
            AffectedResources = Normalize(filter.AffectedResources, "affected_resources", known: null),
            IncidentIds = Normalize(filter.IncidentIds, "incident_ids", known: null),
            Labels = filter.Labels is { Count: > 0 } labels ? new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal) : null,
        };
        return new IncidentFilterMatcher(normalized);
    }

    public bool Matches(IncidentEvent item)
    {
        var incident = item.Incident;
        if (_eventTypes is not null && !_eventTypes.Contains(item.EventType))
        {
            return false;
        }

        if (_severities is not null && !_severities.Contains(incident.Severity))
        {
            return false;
        }

        if (_states is not null && (incident.State is null || !_states.Contains(incident.State)))
        {
            return false;
        }

        if (_sources is not null && (incident.Source is null || !_sources.Contains(incident.Source)))
        {
            return false;
        }

        if (_incidentIds is not null && !_incidentIds.Contains(incident.Id))
        {
            return false;
        }

        if (_resources is not null && (incident.AffectedResources is null || !incident.AffectedResources.Any(_resources.Contains)))
        {
            return false;
        }

        if (_labels is not null)
        {
            if (incident.Labels is null)
            {
                return false;
            }

            foreach (var (key, value) in _labels)
            {
                if (!incident.Labels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static List<string>? Normalize(IReadOnlyList<string>? values, string field, IReadOnlyList<string>? known)
    {
        if (values is null || values.Count == 0)
        {
            return null;
        }

        var result = new List<string>(values.Count);
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value))
            {
                throw Invalid($"{field} must not contain empty values");
            }

            if (known is not null && !known.Contains(value, StringComparer.Ordinal))
            {
                throw Invalid($"{field} contains unknown value '{value}' (expected one of {string.Join(", ", known)})");
            }

            if (!result.Contains(value, StringComparer.Ordinal))
            {
                result.Add(value);
            }
        }

        return result;
    }

    private static HashSet<string>? ToSet(IReadOnlyList<string>? values) => values is null ? null : new HashSet<string>(values, StringComparer.Ordinal);

    private static HubException Invalid(string message) => new(HubErrorCodes.Format(HubErrorCodes.InvalidMessage, message));
}
