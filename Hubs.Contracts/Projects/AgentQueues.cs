namespace Hubs.Contracts.Projects;

/// <summary>The agent queues <see cref="IProjectsHub.Forward"/> accepts.</summary>
public static class AgentQueues
{
    public const string ProjectManager = "pm";
    public const string Developer = "dev";
    public const string QualityAssurance = "qa";
    public const string Operations = "ops";

    public static IReadOnlyList<string> All { get; } = [ProjectManager, Developer, QualityAssurance, Operations];

    public static bool IsKnown(string? queue) => queue is ProjectManager or Developer or QualityAssurance or Operations;
}
