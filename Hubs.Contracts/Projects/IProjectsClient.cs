namespace Hubs.Contracts.Projects;

/// <summary>Callbacks of <c>/hubs/projects</c>.</summary>
public interface IProjectsClient
{
    /// <summary>A backend published an update for a project this connection is subscribed to.</summary>
    Task ProjectUpdated(ProjectUpdate update);
}
