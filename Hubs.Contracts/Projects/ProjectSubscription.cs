namespace Hubs.Contracts.Projects;

/// <summary>Result of subscribe/unsubscribe. Wire: <c>{"project_id","replayed"?}</c>.</summary>
/// <param name="ProjectId">The project.</param>
/// <param name="Replayed">How many retained updates were sent before this result (subscribe with <c>since</c>).</param>
/// <param name="HistoryTruncated">True when <c>since</c> is older than the retained history, so updates between it and the oldest retained one are lost.</param>
public sealed record ProjectSubscription(string ProjectId, int Replayed = 0, bool HistoryTruncated = false);
