namespace Hubs.Contracts.Incidents;

/// <summary>
/// An event delivered to a subscriber. Wire: <c>{"message_id","event":{...},"timestamp"}</c>.
/// <c>message_id</c> increases strictly in publish order and is what <c>since</c> takes.
/// </summary>
public sealed record IncidentEventEnvelope(string MessageId, IncidentEvent Event, DateTimeOffset Timestamp);
