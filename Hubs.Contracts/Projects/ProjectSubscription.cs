namespace Hubs.Contracts.Projects;

/// <summary>Result of subscribe/unsubscribe. Wire: <c>{"project_id","replayed"?,"history_truncated"?,"position"?}</c>.</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="Replayed">How many retained updates were sent before this result (subscribe with <c>since</c>).</param>
/// <param name="HistoryTruncated">True when <c>since</c> is older than the retained history, so updates between it and the oldest retained one are lost.</param>
/// <param name="Position">
/// Subscribe only: the <c>message_id</c> after which this subscription receives every update (its <c>since</c>, or the
/// last position the server had delivered when it subscribed). A client that has received nothing yet resumes with it.
/// </param>
public sealed record ProjectSubscription(string ProjectId, int Replayed = 0, bool HistoryTruncated = false, string? Position = null);
