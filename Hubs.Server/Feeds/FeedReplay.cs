using Hubs.Server.Scaleout;

namespace Hubs.Server.Feeds;

/// <summary>What a subscribe with <c>since</c> sent before going live.</summary>
/// <param name="Replayed">How many retained events were sent.</param>
/// <param name="HistoryTruncated">Whether <c>since</c> was older than the retained history.</param>
/// <param name="Position">The position after which the subscription gets every matching event (see <see cref="FeedSubscription{TEvent}.CoveredAfter"/>).</param>
internal readonly record struct FeedReplay(int Replayed, bool HistoryTruncated, StreamId Position = default);
