namespace Hubs.Contracts.Incidents;

/// <summary>Result of <see cref="IIncidentsHub.Subscribe"/>. Wire: <c>{"subscription_id","filters","replayed"?,"history_truncated"?,"position"?}</c>.</summary>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="Filters">The filter as the server normalized it (empty lists dropped, values de-duplicated).</param>
/// <param name="Replayed">How many retained events were sent before this result.</param>
/// <param name="HistoryTruncated">True when <c>since</c> is older than the retained history, so events between it and the oldest retained one are lost.</param>
/// <param name="Position">
/// The <c>message_id</c> after which this subscription receives every matching event (its <c>since</c>, or the last
/// position the server had delivered when it subscribed). A client that has received nothing yet resumes with it.
/// </param>
public sealed record IncidentSubscription(string SubscriptionId, IncidentFilter Filters, int Replayed = 0, bool HistoryTruncated = false, string? Position = null);
