using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Projects;
using Hubs.Server.Scaleout;
using Hubs.Server.Security;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Server.Projects;

/// <summary><c>/hubs/projects</c>: project subscriptions (with <c>since</c> replay) and forwarding to agent queues.</summary>
internal sealed class ProjectsHub : Hub<IProjectsClient>, IProjectsHub
{
    private const int MaxIdLength = 200;
    private static readonly JsonElement NullData = JsonSerializer.SerializeToElement<object?>(null);

    private readonly ProjectsFeed _feed;
    private readonly AgentQueueWriter _queues;
    private readonly IProjectAccess _access;
    private readonly SubscriptionLimit _subscriptionLimit;

    public ProjectsHub(ProjectsFeed feed, AgentQueueWriter queues, IProjectAccess access, SubscriptionLimit subscriptionLimit)
    {
        _feed = feed;
        _queues = queues;
        _access = access;
        _subscriptionLimit = subscriptionLimit;
    }

    public Task<ProjectSubscription> Subscribe(string projectId, string? since)
    {
        RequireId(projectId, "project_id");
        _access.Demand(Context.User, projectId);
        if (!_feed.Registry.Contains(Context.ConnectionId, projectId))
        {
            _subscriptionLimit.EnsureCanAdd(Context, _feed.Registry.Count(Context.ConnectionId));
        }

        StreamId? position = null;
        if (since is not null)
        {
            position = StreamId.TryParse(since, out var parsed)
                ? parsed
                : throw new HubException(HubErrorCodes.Format(HubErrorCodes.InvalidMessage, $"since '{since}' is not a message_id"));
        }

        var caller = Clients.Caller;
        return _feed.SubscribeAsync(Context.ConnectionId, projectId, position, (u, _) => caller.ProjectUpdated(u), Context.ConnectionAborted);
    }

    public Task<ProjectSubscription> Unsubscribe(string projectId)
    {
        RequireId(projectId, "project_id");
        _feed.Registry.Unsubscribe(Context.ConnectionId, projectId);
        return Task.FromResult(new ProjectSubscription(projectId));
    }

    public Task<ForwardResult> Forward(ForwardRequest request)
    {
        if (request is null)
        {
            throw new HubException(HubErrorCodes.Format(HubErrorCodes.InvalidMessage, "a forward request is required"));
        }

        if (!AgentQueues.IsKnown(request.Type))
        {
            throw new HubException(HubErrorCodes.Format(HubErrorCodes.InvalidMessage, $"unknown queue type '{request.Type}' (expected pm, dev, qa or ops)"));
        }

        RequireId(request.MessageId, "message_id");
        RequireId(request.ProjectId, "project_id");
        _access.Demand(Context.User, request.ProjectId);

        // A request without "data" binds to an undefined JsonElement, which cannot be written: queue it as null.
        if (request.Data.ValueKind == JsonValueKind.Undefined)
        {
            request = request with { Data = NullData };
        }

        return _queues.ForwardAsync(request, Context.UserIdentifier, Context.ConnectionAborted);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        _feed.Registry.RemoveConnection(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private static void RequireId(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxIdLength)
        {
            throw new HubException(HubErrorCodes.Format(HubErrorCodes.InvalidMessage, $"{field} is required (1 to {MaxIdLength} characters)"));
        }
    }
}
