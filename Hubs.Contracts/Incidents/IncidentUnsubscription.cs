namespace Hubs.Contracts.Incidents;

/// <summary>Result of <see cref="IIncidentsHub.Unsubscribe"/>. Wire: <c>{"subscription_id"}</c>.</summary>
public sealed record IncidentUnsubscription(string SubscriptionId);
