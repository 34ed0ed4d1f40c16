using Hubs.Contracts.Incidents;

namespace Hubs.Contracts.Publishing;

/// <summary>Body of <c>POST /api/incidents/events</c>: <c>{"event_type","incident":{...}}</c>.</summary>
public sealed record PublishIncidentEventRequest(string EventType, Incident Incident);
