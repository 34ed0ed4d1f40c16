namespace Hubs.Contracts.Incidents;

/// <summary>Callbacks of <c>/hubs/incidents</c>.</summary>
public interface IIncidentsClient
{
    /// <summary>An event matching at least one of this connection's subscriptions.</summary>
    Task IncidentEvent(IncidentEventEnvelope envelope);
}
