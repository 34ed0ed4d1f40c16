using Hubs.Server.Scaleout;

namespace Hubs.Server.Feeds;

/// <summary>
/// One live subscription of a connection. <see cref="CoveredAfter"/> is the position after which this
/// subscription has delivered (or will deliver) every matching event: its <c>since</c>, or without one the newest id
/// of the stream once the subscription was live (the last dispatched id if that cannot be read). Replays skip what
/// another subscription already covers.
/// </summary>
internal sealed record FeedSubscription<TEvent>(string Key, string? Route, Func<TEvent, bool> Matches, StreamId CoveredAfter);
