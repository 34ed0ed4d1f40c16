namespace Hubs.Server.Scaleout;

/// <summary>Configuration section <c>History</c>: how much is retained for <c>since</c> replay and in agent queues.</summary>
internal sealed class HistoryOptions
{
    public const string SectionName = "History";

    /// <summary>Incident events retained (one stream for all).</summary>
    public int MaxIncidentEvents { get; set; } = 10_000;

    /// <summary>Updates retained per project.</summary>
    public int MaxProjectUpdates { get; set; } = 1_000;

    /// <summary>Messages kept per agent queue before the oldest are trimmed.</summary>
    public int MaxAgentQueueLength { get; set; } = 100_000;

    /// <summary>Entries read from history per round trip during a replay.</summary>
    public int ReplayPageSize { get; set; } = 500;
}
