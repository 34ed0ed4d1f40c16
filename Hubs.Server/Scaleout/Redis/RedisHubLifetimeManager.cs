using System.Collections.Concurrent;
using System.Text.Json;
using Hubs.Server.Delivery;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hubs.Server.Scaleout.Redis;

/// <summary>
/// The scale-out lifetime manager (Hubs' own: the official Redis backplane package cannot be restored here).
/// Local recipients are always served directly through <see cref="LocalConnections{THub}"/> (as without Redis, so a
/// Redis outage never stops local delivery); other instances get one PUBLISH per message per channel, whose
/// envelope (<see cref="RedisHubMessage"/>) is serialized once. Group and user channels are subscribed while this
/// instance holds a member (reference counted in <see cref="RedisConnection"/>); each connection has its own
/// channel, used for direct sends, group changes and client results from other instances.
/// </summary>
internal sealed class RedisHubLifetimeManager<THub> : HubLifetimeManager<THub>
    where THub : Hub
{
    private readonly LocalConnections<THub> _local;
    private readonly RedisConnection _redis;
    private readonly RedisChannels.HubChannels _channels;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, PendingRequest> _pending = new();
    private readonly Lazy<Task> _started;
    private long _nextRequest;

    public RedisHubLifetimeManager(
        LocalConnections<THub> local,
        RedisConnection redis,
        IOptions<JsonHubProtocolOptions> json,
        ILogger<RedisHubLifetimeManager<THub>> logger)
    {
        _local = local;
        _redis = redis;
        _channels = redis.Channels.ForHub(typeof(THub).FullName ?? typeof(THub).Name);
        _json = json.Value.PayloadSerializerOptions;
        _logger = logger;
        _started = new Lazy<Task>(StartAsync);
    }

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        await _started.Value;
        _local.Add(connection);
        var id = connection.ConnectionId;
        await _redis.AcquireAsync(_channels.Connection(id), value => OnConnectionMessage(id, value));
        if (connection.UserIdentifier is { } user)
        {
            await _redis.AcquireAsync(_channels.User(user), value => OnSend(value, m => _local.SendUser(user, m)));
        }
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        var (groups, user) = _local.Remove(connection.ConnectionId);
        await _redis.ReleaseAsync(_channels.Connection(connection.ConnectionId));
        foreach (var group in groups)
        {
            await _redis.ReleaseAsync(_channels.Group(group));
        }

        if (user is not null)
        {
            await _redis.ReleaseAsync(_channels.User(user));
        }
    }

    public override async Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        _local.SendAll(Message(methodName, args));
        await PublishAsync(_channels.All, Envelope(methodName, args, excluded: null));
    }

    public override async Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        _local.SendAll(Message(methodName, args), excludedConnectionIds);
        await PublishAsync(_channels.All, Envelope(methodName, args, excludedConnectionIds));
    }

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default)
        => SendConnectionsAsync([connectionId], methodName, args, cancellationToken);

    public override async Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        SerializedHubMessage? message = null;
        byte[]? envelope = null;
        foreach (var id in connectionIds)
        {
            if (!_local.SendConnection(id, message ??= Message(methodName, args)))
            {
                await PublishAsync(_channels.Connection(id), envelope ??= Envelope(methodName, args, excluded: null));
            }
        }
    }

    public override async Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        _local.SendGroup(groupName, Message(methodName, args));
        await PublishAsync(_channels.Group(groupName), Envelope(methodName, args, excluded: null));
    }

    public override async Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = Message(methodName, args);
        var envelope = Envelope(methodName, args, excluded: null);
        foreach (var group in groupNames)
        {
            _local.SendGroup(group, message);
            await PublishAsync(_channels.Group(group), envelope);
        }
    }

    public override async Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        _local.SendGroup(groupName, Message(methodName, args), excludedConnectionIds);
        await PublishAsync(_channels.Group(groupName), Envelope(methodName, args, excludedConnectionIds));
    }

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default)
        => SendUsersAsync([userId], methodName, args, cancellationToken);

    public override async Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = Message(methodName, args);
        var envelope = Envelope(methodName, args, excluded: null);
        foreach (var user in userIds)
        {
            _local.SendUser(user, message);
            await PublishAsync(_channels.User(user), envelope);
        }
    }

    public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (_local.AddToGroup(connectionId, groupName, out var first))
        {
            if (first)
            {
                await AcquireGroupAsync(groupName);
            }

            return;
        }

        await RequestAsync(connectionId, RedisHubMessage.Add, groupName, cancellationToken);
    }

    public override async Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (_local.RemoveFromGroup(connectionId, groupName, out var last))
        {
            if (last)
            {
                await _redis.ReleaseAsync(_channels.Group(groupName));
            }

            return;
        }

        await RequestAsync(connectionId, RedisHubMessage.Remove, groupName, cancellationToken);
    }

    public override async Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken)
    {
        if (_local.InvokeAsync<T>(connectionId, methodName, args, cancellationToken) is { } local)
        {
            return await local;
        }

        var request = Interlocked.Increment(ref _nextRequest);
        var pending = new PendingRequest();
        _pending[request] = pending;
        try
        {
            var receivers = await _redis.PublishAsync(
                _channels.Connection(connectionId), RedisHubMessage.WriteInvoke(_redis.InstanceId, request, methodName, args, _json), throwOnFailure: true);
            if (receivers == 0)
            {
                throw new IOException($"Connection '{connectionId}' does not exist on any instance.");
            }

            var reply = await pending.Completion.Task.WaitAsync(cancellationToken);
            if (reply.Error is not null)
            {
                throw new HubException(reply.Error);
            }

            return reply.Value is { } value ? value.Deserialize<T>(_json)! : default!;
        }
        finally
        {
            _pending.TryRemove(request, out _);
        }
    }

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result)
    {
        _local.TrySetResult(connectionId, result);
        return Task.CompletedTask;
    }

    public override bool TryGetReturnType(string invocationId, out Type type) => _local.TryGetReturnType(invocationId, out type);

    private static SerializedHubMessage Message(string methodName, object?[] args) => new(new InvocationMessage(methodName, args));

    private byte[] Envelope(string methodName, object?[] args, IReadOnlyList<string>? excluded)
        => RedisHubMessage.WriteSend(_redis.InstanceId, methodName, args, excluded, _json);

    private Task<long> PublishAsync(string channel, byte[] envelope) => _redis.PublishAsync(channel, envelope, throwOnFailure: false);

    private Task StartAsync() => Task.WhenAll(
        _redis.AcquireAsync(_channels.All, value => OnSend(value, (m, x) => _local.SendAll(m, x))),
        _redis.AcquireAsync(_channels.Instance(_redis.InstanceId), OnInstanceMessage));

    private Task AcquireGroupAsync(string group)
        => _redis.AcquireAsync(_channels.Group(group), value => OnSend(value, (m, x) => _local.SendGroup(group, m, x)));

    private async Task RequestAsync(string connectionId, string type, string groupName, CancellationToken cancellationToken)
    {
        var request = Interlocked.Increment(ref _nextRequest);
        var pending = new PendingRequest();
        _pending[request] = pending;
        try
        {
            var receivers = await _redis.PublishAsync(
                _channels.Connection(connectionId), RedisHubMessage.WriteGroupChange(type, _redis.InstanceId, request, groupName), throwOnFailure: true);
            if (receivers == 0)
            {
                throw new IOException($"Connection '{connectionId}' does not exist on any instance; it was not {(type == RedisHubMessage.Add ? "added to" : "removed from")} group '{groupName}'.");
            }

            try
            {
                await pending.Completion.Task.WaitAsync(_redis.Options.AckTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"No instance acknowledged the group change of connection '{connectionId}' (group '{groupName}') within {_redis.Options.AckTimeout}.");
            }
        }
        finally
        {
            _pending.TryRemove(request, out _);
        }
    }

    private void OnSend(RedisValue value, Action<SerializedHubMessage> deliver) => OnSend(value, (m, _) => deliver(m));

    private void OnSend(RedisValue value, Action<SerializedHubMessage, IReadOnlyList<string>?> deliver)
    {
        var message = RedisHubMessage.Read((byte[])value!);
        if (message.Type != RedisHubMessage.Send || message.Origin == _redis.InstanceId)
        {
            return;
        }

        deliver(Message(message.Method!, [.. message.Arguments!.Cast<object?>()]), message.Excluded);
    }

    private void OnConnectionMessage(string connectionId, RedisValue value)
    {
        var message = RedisHubMessage.Read((byte[])value!);
        switch (message.Type)
        {
            case RedisHubMessage.Send:
                if (message.Origin != _redis.InstanceId)
                {
                    _local.SendConnection(connectionId, Message(message.Method!, [.. message.Arguments!.Cast<object?>()]));
                }

                break;
            case RedisHubMessage.Add or RedisHubMessage.Remove:
                _ = ChangeGroupAsync(connectionId, message);
                break;
            case RedisHubMessage.Invoke:
                _ = InvokeForAsync(connectionId, message);
                break;
        }
    }

    private async Task ChangeGroupAsync(string connectionId, RedisHubMessage message)
    {
        try
        {
            if (message.Type == RedisHubMessage.Add)
            {
                await AddToGroupAsync(connectionId, message.Group!);
            }
            else
            {
                await RemoveFromGroupAsync(connectionId, message.Group!);
            }

            await _redis.PublishAsync(_channels.Instance(message.Origin!), RedisHubMessage.WriteAck(message.Request), throwOnFailure: false);
        }
#pragma warning disable CA1031 // Runs detached from the Redis callback: failures are logged, the asker times out.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            RedisLog.HandlerFailed(_logger, _channels.Connection(connectionId), ex);
        }
    }

    private async Task InvokeForAsync(string connectionId, RedisHubMessage message)
    {
        byte[] reply;
        try
        {
            var invocation = _local.InvokeAsync<RawResult>(connectionId, message.Method!, [.. message.Arguments!.Cast<object?>()], CancellationToken.None)
                ?? throw new IOException($"Connection '{connectionId}' does not exist.");
            var result = await invocation;
            reply = RedisHubMessage.WriteResult(message.Request, error: null, result?.RawSerializedData ?? default);
        }
#pragma warning disable CA1031 // Every failure becomes the asker's error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            reply = RedisHubMessage.WriteResult(message.Request, ex.Message, default);
        }

        await _redis.PublishAsync(_channels.Instance(message.Origin!), reply, throwOnFailure: false);
    }

    private void OnInstanceMessage(RedisValue value)
    {
        var message = RedisHubMessage.Read((byte[])value!);
        if (_pending.TryGetValue(message.Request, out var pending))
        {
            pending.Completion.TrySetResult(message);
        }
    }

    private sealed class PendingRequest
    {
        public TaskCompletionSource<RedisHubMessage> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
