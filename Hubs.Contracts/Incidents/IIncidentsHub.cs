namespace Hubs.Contracts.Incidents;

/// <summary>Server methods of <c>/hubs/incidents</c>.</summary>
public interface IIncidentsHub
{
    /// <summary>
    /// Adds (or replaces, when the id is live) a filtered subscription. Matching events arrive through
    /// <see cref="IIncidentsClient.IncidentEvent"/>, once per event however many subscriptions match.
    /// With <paramref name="since"/> the retained matching events after that <c>message_id</c> are sent first.
    /// </summary>
    Task<IncidentSubscription> Subscribe(string subscriptionId, IncidentFilter filter, string? since);

    /// <summary>Removes a subscription; an unknown id is a <c>NOT_FOUND</c> error.</summary>
    Task<IncidentUnsubscription> Unsubscribe(string subscriptionId);

    /// <summary>Records the last event this connection has seen.</summary>
    Task Ack(string messageId);
}
