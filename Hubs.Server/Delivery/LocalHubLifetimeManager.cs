using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hubs.Server.Delivery;

/// <summary>
/// The single-instance lifetime manager (no Redis). Unlike SignalR's default one it never awaits a recipient's
/// transport: every message goes through the recipient's bounded <see cref="ConnectionOutbox"/>, so a stalled
/// client is cut off instead of stalling the fan-out, and serialization stays once per message and protocol.
/// </summary>
internal sealed partial class LocalHubLifetimeManager<THub> : HubLifetimeManager<THub>
    where THub : Hub
{
    private readonly LocalConnections<THub> _local;

    public LocalHubLifetimeManager(LocalConnections<THub> local)
    {
        _local = local;
    }

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        _local.Add(connection);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _local.Remove(connection.ConnectionId);
        return Task.CompletedTask;
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        _local.SendAll(Message(methodName, args));
        return Task.CompletedTask;
    }

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        _local.SendAll(Message(methodName, args), excludedConnectionIds);
        return Task.CompletedTask;
    }

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        _local.SendConnection(connectionId, Message(methodName, args));
        return Task.CompletedTask;
    }

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = Message(methodName, args);
        foreach (var id in connectionIds)
        {
            _local.SendConnection(id, message);
        }

        return Task.CompletedTask;
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        _local.SendGroup(groupName, Message(methodName, args));
        return Task.CompletedTask;
    }

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = Message(methodName, args);
        foreach (var group in groupNames)
        {
            _local.SendGroup(group, message);
        }

        return Task.CompletedTask;
    }

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        _local.SendGroup(groupName, Message(methodName, args), excludedConnectionIds);
        return Task.CompletedTask;
    }

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        _local.SendUser(userId, Message(methodName, args));
        return Task.CompletedTask;
    }

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = Message(methodName, args);
        foreach (var user in userIds)
        {
            _local.SendUser(user, message);
        }

        return Task.CompletedTask;
    }

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        _local.AddToGroup(connectionId, groupName, out _);
        return Task.CompletedTask;
    }

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        _local.RemoveFromGroup(connectionId, groupName, out _);
        return Task.CompletedTask;
    }

    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken)
        => _local.InvokeAsync<T>(connectionId, methodName, args, cancellationToken)
            ?? throw new IOException($"Connection '{connectionId}' does not exist.");

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result)
    {
        _local.TrySetResult(connectionId, result);
        return Task.CompletedTask;
    }

    public override bool TryGetReturnType(string invocationId, out Type type) => _local.TryGetReturnType(invocationId, out type);

    private static SerializedHubMessage Message(string methodName, object?[] args) => new(new InvocationMessage(methodName, args));
}
