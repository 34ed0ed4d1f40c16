namespace Hubs.Server.Feeds;

/// <summary>What a subscribe with <c>since</c> sent before going live.</summary>
internal readonly record struct FeedReplay(int Replayed, bool HistoryTruncated);
