namespace Hubs.Contracts.Projects;

/// <summary>Server methods of <c>/hubs/projects</c>.</summary>
public interface IProjectsHub
{
    /// <summary>
    /// Subscribes this connection to a project's updates. With <paramref name="since"/> (a <c>message_id</c>
    /// this client saw last) the retained updates after it are sent first, in order, then live ones.
    /// </summary>
    Task<ProjectSubscription> Subscribe(string projectId, string? since);

    /// <summary>Stops this connection's updates for a project. Unsubscribing from a project not subscribed is a no-op.</summary>
    Task<ProjectSubscription> Unsubscribe(string projectId);

    /// <summary>Appends a message to an agent queue (<c>pm</c>, <c>dev</c>, <c>qa</c> or <c>ops</c>).</summary>
    Task<ForwardResult> Forward(ForwardRequest request);
}
