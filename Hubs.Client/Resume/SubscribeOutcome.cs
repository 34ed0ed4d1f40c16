namespace Hubs.Client.Resume;

/// <summary>What resume needs from a subscribe result, whichever hub it came from.</summary>
internal readonly record struct SubscribeOutcome(int Replayed, bool HistoryTruncated, string? Position);
