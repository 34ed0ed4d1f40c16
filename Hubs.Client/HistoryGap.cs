namespace Hubs.Client;

/// <summary>
/// The server could not replay everything after <see cref="Since"/>: it is older than the retained history, so
/// events between it and the oldest retained one were lost for this subscription. Raised by the projects and
/// incidents clients, never silently skipped.
/// </summary>
/// <param name="Subscription">The project id (projects) or subscription id (incidents).</param>
/// <param name="Since">The <c>message_id</c> the subscription asked to resume after.</param>
/// <param name="DuringResume">True when found while resubscribing after a reconnect; false on a <c>Subscribe</c> call of the application.</param>
public sealed record HistoryGap(string Subscription, string? Since, bool DuringResume);
