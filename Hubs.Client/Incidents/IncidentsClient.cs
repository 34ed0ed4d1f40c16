using Hubs.Contracts.Incidents;

namespace Hubs.Client.Incidents;

/// <summary>
/// Typed client of <c>/hubs/incidents</c>: add filtered subscriptions, receive matching events through
/// <see cref="OnIncidentEvent(Func{IncidentEventEnvelope, Task})"/>, acknowledge what was seen.
/// </summary>
/// <remarks>
/// Subscriptions are server-side state and do not survive a reconnect. To resume, remember the last
/// <see cref="IncidentEventEnvelope.MessageId"/> and subscribe again with it as <c>since</c> from
/// <see cref="HubConnection.Reconnected"/>.
/// </remarks>
public sealed class IncidentsClient : TypedHubClient, IIncidentsHub
{
    /// <inheritdoc cref="TypedHubClient(HubConnection)"/>
    public IncidentsClient(HubConnection connection)
        : base(connection)
    {
    }

    /// <inheritdoc/>
    public Task<IncidentSubscription> Subscribe(string subscriptionId, IncidentFilter filter, string? since) =>
        Subscribe(subscriptionId, filter, since, CancellationToken.None);

    /// <inheritdoc cref="IIncidentsHub.Subscribe"/>
    public Task<IncidentSubscription> Subscribe(string subscriptionId, IncidentFilter filter, string? since, CancellationToken cancellationToken) =>
        Connection.InvokeAsync<IncidentSubscription>(nameof(IIncidentsHub.Subscribe), [subscriptionId, filter, since], cancellationToken);

    /// <inheritdoc/>
    public Task<IncidentUnsubscription> Unsubscribe(string subscriptionId) => Unsubscribe(subscriptionId, CancellationToken.None);

    /// <inheritdoc cref="IIncidentsHub.Unsubscribe"/>
    public Task<IncidentUnsubscription> Unsubscribe(string subscriptionId, CancellationToken cancellationToken) =>
        Connection.InvokeAsync<IncidentUnsubscription>(nameof(IIncidentsHub.Unsubscribe), [subscriptionId], cancellationToken);

    /// <inheritdoc/>
    public Task Ack(string messageId) => Ack(messageId, CancellationToken.None);

    /// <inheritdoc cref="IIncidentsHub.Ack"/>
    public Task Ack(string messageId, CancellationToken cancellationToken) =>
        Connection.InvokeAsync(nameof(IIncidentsHub.Ack), [messageId], cancellationToken);

    /// <summary>Handles <see cref="IIncidentsClient.IncidentEvent"/>. Dispose the result to unregister.</summary>
    public IDisposable OnIncidentEvent(Func<IncidentEventEnvelope, Task> handler) =>
        Connection.On(nameof(IIncidentsClient.IncidentEvent), handler);

    /// <inheritdoc cref="OnIncidentEvent(Func{IncidentEventEnvelope, Task})"/>
    public IDisposable OnIncidentEvent(Action<IncidentEventEnvelope> handler) =>
        Connection.On(nameof(IIncidentsClient.IncidentEvent), handler);
}
