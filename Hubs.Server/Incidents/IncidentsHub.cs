using Hubs.Contracts;
using Hubs.Contracts.Incidents;
using Hubs.Server.Scaleout;
using Hubs.Server.Security;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Server.Incidents;

/// <summary><c>/hubs/incidents</c>: filtered incident subscriptions with <c>since</c> replay, and acks.</summary>
internal sealed class IncidentsHub : Hub<IIncidentsClient>, IIncidentsHub
{
    private const int MaxIdLength = 200;

    private readonly IncidentsFeed _feed;
    private readonly IIncidentAccess _access;
    private readonly SubscriptionLimit _subscriptionLimit;

    public IncidentsHub(IncidentsFeed feed, IIncidentAccess access, SubscriptionLimit subscriptionLimit)
    {
        _feed = feed;
        _access = access;
        _subscriptionLimit = subscriptionLimit;
    }

    public async Task<IncidentSubscription> Subscribe(string subscriptionId, IncidentFilter filter, string? since)
    {
        RequireId(subscriptionId, "subscription_id");
        _access.Demand(Context.User);
        if (!_feed.Registry.Contains(Context.ConnectionId, subscriptionId))
        {
            _subscriptionLimit.EnsureCanAdd(Context, _feed.Registry.Count(Context.ConnectionId));
        }

        var matcher = IncidentFilterMatcher.Create(filter);
        var position = ParsePosition(since, "since");
        var caller = Clients.Caller;
        var replay = await _feed.SubscribeAsync(Context.ConnectionId, subscriptionId, matcher, position, (e, _) => caller.IncidentEvent(e), Context.ConnectionAborted);
        return new IncidentSubscription(subscriptionId, matcher.Filter, replay.Replayed, replay.HistoryTruncated, replay.Position.ToString());
    }

    public Task<IncidentUnsubscription> Unsubscribe(string subscriptionId)
    {
        RequireId(subscriptionId, "subscription_id");
        if (!_feed.Registry.Unsubscribe(Context.ConnectionId, subscriptionId))
        {
            throw new HubException(HubErrorCodes.Format(HubErrorCodes.NotFound, $"no subscription '{subscriptionId}'"));
        }

        return Task.FromResult(new IncidentUnsubscription(subscriptionId));
    }

    // One ack per delivered event: counting them would let a busy incident stream exhaust the client's allowance.
    [RateLimitExempt]
    public Task Ack(string messageId)
    {
        _ = ParsePosition(messageId, "message_id") ?? throw new HubException(HubErrorCodes.Format(HubErrorCodes.InvalidMessage, "message_id is required"));
        _feed.Ack(Context.ConnectionId, messageId);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        _feed.RemoveConnection(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private static StreamId? ParsePosition(string? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        return StreamId.TryParse(value, out var id)
            ? id
            : throw new HubException(HubErrorCodes.Format(HubErrorCodes.InvalidMessage, $"{field} '{value}' is not a message_id"));
    }

    private static void RequireId(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxIdLength)
        {
            throw new HubException(HubErrorCodes.Format(HubErrorCodes.InvalidMessage, $"{field} is required (1 to {MaxIdLength} characters)"));
        }
    }
}
