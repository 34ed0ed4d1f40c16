using Hubs.Client.Resume;
using Hubs.Contracts.Projects;

namespace Hubs.Client.Projects;

/// <summary>
/// Typed client of <c>/hubs/projects</c>: subscribe to projects, receive <see cref="ProjectUpdate"/>s through
/// <see cref="OnProjectUpdated(Func{ProjectUpdate, Task})"/>, forward messages to agent queues.
/// </summary>
/// <remarks>
/// Subscriptions resume by themselves: the client remembers the last <see cref="ProjectUpdate.MessageId"/> of every
/// project it subscribed to and, after an automatic reconnect (to this or another instance), subscribes again with it
/// as <c>since</c>, so the updates missed meanwhile arrive first, in order, then live ones; duplicates are dropped.
/// When the server no longer retains the missed updates, <see cref="HistoryGap"/> is raised.
/// </remarks>
public sealed class ProjectsClient : TypedHubClient, IProjectsHub
{
    private readonly ResumableFeed<ProjectUpdate> _feed;

    /// <inheritdoc cref="TypedHubClient(HubConnection)"/>
    public ProjectsClient(HubConnection connection)
        : base(connection)
    {
        _feed = new ResumableFeed<ProjectUpdate>(
            connection,
            nameof(IProjectsClient.ProjectUpdated),
            u => u.MessageId,
            u => u.ProjectId,
            gap => HistoryGap is { } handlers ? RaiseAsync(handlers, gap) : Task.CompletedTask,
            (project, error) => ResubscribeFailed is { } handlers ? RaiseAsync(handlers, project, error) : Task.CompletedTask);
    }

    /// <summary>Raised when updates of a project were lost because they are older than the server's retained history.</summary>
    public event Func<HistoryGap, Task>? HistoryGap;

    /// <summary>Raised with the project id when subscribing again after a reconnect failed (it is retried on the next reconnect).</summary>
    public event Func<string, Exception, Task>? ResubscribeFailed;

    /// <summary>The <c>message_id</c> each subscribed project resumes after (null: nothing received and no position yet).</summary>
    public IReadOnlyDictionary<string, string?> ResumePositions => _feed.Positions;

    /// <summary>Updates dropped as duplicates by the client (the server is meant to send none).</summary>
    public long DuplicatesDropped => _feed.DuplicatesDropped;

    /// <inheritdoc/>
    public Task<ProjectSubscription> Subscribe(string projectId, string? since) => Subscribe(projectId, since, CancellationToken.None);

    /// <inheritdoc cref="IProjectsHub.Subscribe"/>
    public Task<ProjectSubscription> Subscribe(string projectId, string? since, CancellationToken cancellationToken) =>
        _feed.SubscribeAsync(
            projectId,
            since,
            (s, ct) => Connection.InvokeAsync<ProjectSubscription>(nameof(IProjectsHub.Subscribe), [projectId, s], ct),
            r => new SubscribeOutcome(r.Replayed, r.HistoryTruncated, r.Position),
            cancellationToken);

    /// <inheritdoc/>
    public Task<ProjectSubscription> Unsubscribe(string projectId) => Unsubscribe(projectId, CancellationToken.None);

    /// <inheritdoc cref="IProjectsHub.Unsubscribe"/>
    public Task<ProjectSubscription> Unsubscribe(string projectId, CancellationToken cancellationToken)
    {
        _feed.Forget(projectId);
        return Connection.InvokeAsync<ProjectSubscription>(nameof(IProjectsHub.Unsubscribe), [projectId], cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ForwardResult> Forward(ForwardRequest request) => Forward(request, CancellationToken.None);

    /// <inheritdoc cref="IProjectsHub.Forward"/>
    public Task<ForwardResult> Forward(ForwardRequest request, CancellationToken cancellationToken) =>
        Connection.InvokeAsync<ForwardResult>(nameof(IProjectsHub.Forward), [request], cancellationToken);

    /// <summary>
    /// Handles <see cref="IProjectsClient.ProjectUpdated"/>: each update once, in order, across reconnects.
    /// Dispose the result to unregister.
    /// </summary>
    public IDisposable OnProjectUpdated(Func<ProjectUpdate, Task> handler) => _feed.AddHandler(handler);

    /// <inheritdoc cref="OnProjectUpdated(Func{ProjectUpdate, Task})"/>
    public IDisposable OnProjectUpdated(Action<ProjectUpdate> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _feed.AddHandler(u =>
        {
            handler(u);
            return Task.CompletedTask;
        });
    }
}
