using Hubs.Server.Scaleout;

namespace Hubs.Server.Feeds;

/// <summary>
/// One live subscription of a connection. <see cref="CoveredAfter"/> is the position after which this
/// subscription has delivered (or will deliver) every matching event: its <c>since</c>, or the last
/// dispatched position when it was created. Replays skip what another subscription already covers.
/// </summary>
internal sealed record FeedSubscription<TEvent>(string Key, string? Route, Func<TEvent, bool> Matches, StreamId CoveredAfter);
