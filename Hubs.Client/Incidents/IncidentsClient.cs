using Hubs.Client.Resume;
using Hubs.Contracts.Incidents;

namespace Hubs.Client.Incidents;

/// <summary>
/// Typed client of <c>/hubs/incidents</c>: add filtered subscriptions, receive matching events through
/// <see cref="OnIncidentEvent(Func{IncidentEventEnvelope, Task})"/>, acknowledge what was seen.
/// </summary>
/// <remarks>
/// Subscriptions resume by themselves: the client remembers, per subscription (id and filter), the last
/// <see cref="IncidentEventEnvelope.MessageId"/> up to which it has received every matching event and, after an
/// automatic reconnect (to this or another instance), subscribes again with it as <c>since</c>: missed events first,
/// in order, then live ones; duplicates are dropped. When the server no longer retains the missed events,
/// <see cref="HistoryGap"/> is raised.
/// </remarks>
public sealed class IncidentsClient : TypedHubClient, IIncidentsHub
{
    private readonly ResumableFeed<IncidentEventEnvelope> _feed;

    /// <inheritdoc cref="TypedHubClient(HubConnection)"/>
    public IncidentsClient(HubConnection connection)
        : base(connection)
    {
        _feed = new ResumableFeed<IncidentEventEnvelope>(
            connection,
            nameof(IIncidentsClient.IncidentEvent),
            e => e.MessageId,
            _ => null,
            gap => HistoryGap is { } handlers ? RaiseAsync(handlers, gap) : Task.CompletedTask,
            (subscription, error) => ResubscribeFailed is { } handlers ? RaiseAsync(handlers, subscription, error) : Task.CompletedTask);
    }

    /// <summary>Raised when events of a subscription were lost because they are older than the server's retained history.</summary>
    public event Func<HistoryGap, Task>? HistoryGap;

    /// <summary>Raised with the subscription id when subscribing again after a reconnect failed (it is retried on the next reconnect).</summary>
    public event Func<string, Exception, Task>? ResubscribeFailed;

    /// <summary>The <c>message_id</c> each subscription resumes after (null: nothing received and no position yet).</summary>
    public IReadOnlyDictionary<string, string?> ResumePositions => _feed.Positions;

    /// <summary>Events dropped as duplicates by the client (the server is meant to send none).</summary>
    public long DuplicatesDropped => _feed.DuplicatesDropped;

    /// <inheritdoc/>
    public Task<IncidentSubscription> Subscribe(string subscriptionId, IncidentFilter filter, string? since) =>
        Subscribe(subscriptionId, filter, since, CancellationToken.None);

    /// <inheritdoc cref="IIncidentsHub.Subscribe"/>
    public Task<IncidentSubscription> Subscribe(string subscriptionId, IncidentFilter filter, string? since, CancellationToken cancellationToken) =>
        _feed.SubscribeAsync(
            subscriptionId,
            since,
            (s, ct) => Connection.InvokeAsync<IncidentSubscription>(nameof(IIncidentsHub.Subscribe), [subscriptionId, filter, s], ct),
            r => new SubscribeOutcome(r.Replayed, r.HistoryTruncated, r.Position),
            cancellationToken);

    /// <inheritdoc/>
    public Task<IncidentUnsubscription> Unsubscribe(string subscriptionId) => Unsubscribe(subscriptionId, CancellationToken.None);

    /// <inheritdoc cref="IIncidentsHub.Unsubscribe"/>
    public Task<IncidentUnsubscription> Unsubscribe(string subscriptionId, CancellationToken cancellationToken)
    {
        _feed.Forget(subscriptionId);
        return Connection.InvokeAsync<IncidentUnsubscription>(nameof(IIncidentsHub.Unsubscribe), [subscriptionId], cancellationToken);
    }

    /// <inheritdoc/>
    public Task Ack(string messageId) => Ack(messageId, CancellationToken.None);

    /// <inheritdoc cref="IIncidentsHub.Ack"/>
    public Task Ack(string messageId, CancellationToken cancellationToken) =>
        Connection.InvokeAsync(nameof(IIncidentsHub.Ack), [messageId], cancellationToken);

    /// <summary>
    /// Handles <see cref="IIncidentsClient.IncidentEvent"/>: each event once, in order, across reconnects.
    /// Dispose the result to unregister.
    /// </summary>
    public IDisposable OnIncidentEvent(Func<IncidentEventEnvelope, Task> handler) => _feed.AddHandler(handler);

    /// <inheritdoc cref="OnIncidentEvent(Func{IncidentEventEnvelope, Task})"/>
    public IDisposable OnIncidentEvent(Action<IncidentEventEnvelope> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _feed.AddHandler(e =>
        {
            handler(e);
            return Task.CompletedTask;
        });
    }
}
