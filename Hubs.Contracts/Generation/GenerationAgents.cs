namespace Hubs.Contracts.Generation;

/// <summary>The agents of the pipeline, in the order they run.</summary>
public static class GenerationAgents
{
    public const string Research = "ResearchAgent";
    public const string Creator = "CreatorAgent";
    public const string Scheduler = "SchedulerAgent";

    public static IReadOnlyList<string> Pipeline { get; } = [Research, Creator, Scheduler];
}
