namespace Hubs.Contracts.Incidents;

/// <summary>An incident event. Wire: <c>{"event_type","incident":{...},"priority":"critical|high|normal|low"}</c>.</summary>
public sealed record IncidentEvent(string EventType, Incident Incident, string Priority);
