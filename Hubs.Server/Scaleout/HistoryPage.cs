namespace Hubs.Server.Scaleout;

/// <summary>A read of retained history.</summary>
/// <param name="Events">Entries after the requested id, oldest first.</param>
/// <param name="Truncated">True when entries after the requested id were already trimmed away, so the reader missed some.</param>
internal sealed record HistoryPage(IReadOnlyList<LoggedEvent> Events, bool Truncated);
