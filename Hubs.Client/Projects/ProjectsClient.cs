using Hubs.Contracts.Projects;

namespace Hubs.Client.Projects;

/// <summary>
/// Typed client of <c>/hubs/projects</c>: subscribe to projects, receive <see cref="ProjectUpdate"/>s through
/// <see cref="OnProjectUpdated(Func{ProjectUpdate, Task})"/>, forward messages to agent queues.
/// </summary>
/// <remarks>
/// Subscriptions are server-side state and do not survive a reconnect. To resume, remember the last
/// <see cref="ProjectUpdate.MessageId"/> per project and subscribe again with it as <c>since</c> from
/// <see cref="HubConnection.Reconnected"/>.
/// </remarks>
public sealed class ProjectsClient : TypedHubClient, IProjectsHub
{
    /// <inheritdoc cref="TypedHubClient(HubConnection)"/>
    public ProjectsClient(HubConnection connection)
        : base(connection)
    {
    }

    /// <inheritdoc/>
    public Task<ProjectSubscription> Subscribe(string projectId, string? since) => Subscribe(projectId, since, CancellationToken.None);

    /// <inheritdoc cref="IProjectsHub.Subscribe"/>
    public Task<ProjectSubscription> Subscribe(string projectId, string? since, CancellationToken cancellationToken) =>
        Connection.InvokeAsync<ProjectSubscription>(nameof(IProjectsHub.Subscribe), [projectId, since], cancellationToken);

    /// <inheritdoc/>
    public Task<ProjectSubscription> Unsubscribe(string projectId) => Unsubscribe(projectId, CancellationToken.None);

    /// <inheritdoc cref="IProjectsHub.Unsubscribe"/>
    public Task<ProjectSubscription> Unsubscribe(string projectId, CancellationToken cancellationToken) =>
        Connection.InvokeAsync<ProjectSubscription>(nameof(IProjectsHub.Unsubscribe), [projectId], cancellationToken);

    /// <inheritdoc/>
    public Task<ForwardResult> Forward(ForwardRequest request) => Forward(request, CancellationToken.None);

    /// <inheritdoc cref="IProjectsHub.Forward"/>
    public Task<ForwardResult> Forward(ForwardRequest request, CancellationToken cancellationToken) =>
        Connection.InvokeAsync<ForwardResult>(nameof(IProjectsHub.Forward), [request], cancellationToken);

    /// <summary>Handles <see cref="IProjectsClient.ProjectUpdated"/>. Dispose the result to unregister.</summary>
    public IDisposable OnProjectUpdated(Func<ProjectUpdate, Task> handler) =>
        Connection.On(nameof(IProjectsClient.ProjectUpdated), handler);

    /// <inheritdoc cref="OnProjectUpdated(Func{ProjectUpdate, Task})"/>
    public IDisposable OnProjectUpdated(Action<ProjectUpdate> handler) =>
        Connection.On(nameof(IProjectsClient.ProjectUpdated), handler);
}
