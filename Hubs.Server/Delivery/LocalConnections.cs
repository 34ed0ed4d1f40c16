using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Delivery;

/// <summary>
/// This instance's connections of one hub: their groups, their users, their outboxes and the client results
/// they owe. Every lifetime manager (in-memory or Redis) delivers locally through here, so local delivery
/// has one implementation: one <see cref="SerializedHubMessage"/> per send, enqueued to each recipient's
/// outbox; nothing waits for a slow recipient. One per hub (a singleton): the feeds find their subscribers'
/// outboxes here once, at subscribe, instead of by connection id on every event.
/// </summary>
/// <typeparam name="THub">The hub whose connections these are.</typeparam>
internal sealed class LocalConnections<THub>
    where THub : Hub
{
    private readonly ConcurrentDictionary<string, Entry> _connections = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<Entry>> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Entry>> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingResult> _results = new(StringComparer.Ordinal);
    private readonly int _maxPending;
    private readonly Action<HubConnectionContext, int> _onSlowConsumer;
    private long _nextInvocationId;

    public LocalConnections(IOptions<DeliveryOptions> options, SlowConsumerHandler slowConsumers)
    {
        _maxPending = options.Value.MaxPendingMessages;
        _onSlowConsumer = slowConsumers.Disconnect;
    }

    public int Count => _connections.Count;

    public bool Contains(string connectionId) => _connections.ContainsKey(connectionId);

    /// <summary>The outbox of a connection open on this instance; null when it is not (or no longer) here.</summary>
    public ConnectionOutbox? OutboxOf(string connectionId) => _connections.TryGetValue(connectionId, out var entry) ? entry.Outbox : null;

    public void Add(HubConnectionContext connection)
    {
        var entry = new Entry(connection, new ConnectionOutbox(connection, _maxPending, _onSlowConsumer));
        _connections[connection.ConnectionId] = entry;
        if (connection.UserIdentifier is { } user)
        {
            lock (_lock)
            {
                Join(_users, user, entry);
            }
        }
    }

    /// <summary>Forgets a connection; returns the groups it was in and its user, so a backplane can release their subscriptions.</summary>
    public (IReadOnlyList<string> Groups, string? User) Remove(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var entry))
        {
            return ([], null);
        }

        entry.Outbox.Close();
        string[] groups;
        lock (_lock)
        {
            groups = [.. entry.Groups];
            foreach (var group in groups)
            {
                Leave(_groups, group, entry);
            }

            if (entry.Connection.UserIdentifier is { } user)
            {
                Leave(_users, user, entry);
            }
        }

        foreach (var (id, pending) in _results)
        {
            if (pending.ConnectionId == connectionId && _results.TryRemove(id, out _))
            {
                pending.Completion.TrySetException(new IOException($"Connection '{connectionId}' disconnected before answering."));
            }
        }

        return (groups, entry.Connection.UserIdentifier);
    }

    /// <summary>True when this instance has a member of the group (or the user) after the change.</summary>
    public bool AddToGroup(string connectionId, string groupName, out bool firstLocalMember)
    {
        firstLocalMember = false;
        if (!_connections.TryGetValue(connectionId, out var entry))
        {
            return false;
        }

        lock (_lock)
        {
            if (entry.Groups.Add(groupName))
            {
                firstLocalMember = Join(_groups, groupName, entry);
            }
        }

        return true;
    }

    public bool RemoveFromGroup(string connectionId, string groupName, out bool lastLocalMember)
    {
        lastLocalMember = false;
        if (!_connections.TryGetValue(connectionId, out var entry))
        {
            return false;
        }

        lock (_lock)
        {
            if (entry.Groups.Remove(groupName))
            {
                lastLocalMember = Leave(_groups, groupName, entry);
            }
        }

        return true;
    }

    public void SendAll(SerializedHubMessage message, IReadOnlyList<string>? excluded = null)
    {
        foreach (var entry in _connections.Values)
        {
            if (excluded is null || !excluded.Contains(entry.Connection.ConnectionId))
            {
                entry.Outbox.Enqueue(message);
            }
        }
    }

    /// <summary>Sends to the listed connections held here; returns false when a connection is not local.</summary>
    public bool SendConnection(string connectionId, SerializedHubMessage message)
    {
        if (!_connections.TryGetValue(connectionId, out var entry))
        {
            return false;
        }

        entry.Outbox.Enqueue(message);
        return true;
    }

    public void SendGroup(string groupName, SerializedHubMessage message, IReadOnlyList<string>? excluded = null)
        => SendMembers(_groups, groupName, message, excluded);

    public void SendUser(string userId, SerializedHubMessage message) => SendMembers(_users, userId, message, excluded: null);

    public bool HasUser(string userId)
    {
        lock (_lock)
        {
            return _users.ContainsKey(userId);
        }
    }

    /// <summary>Asks a local connection for a client result. Returns null when the connection is not here.</summary>
    public Task<T>? InvokeAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken)
    {
        if (!_connections.TryGetValue(connectionId, out var entry))
        {
            return null;
        }

        var invocationId = "r" + Interlocked.Increment(ref _nextInvocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pending = new PendingResult(connectionId, typeof(T), new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously));
        _results[invocationId] = pending;
        entry.Outbox.Enqueue(new SerializedHubMessage(new InvocationMessage(invocationId, methodName, args)));
        return AwaitResultAsync<T>(invocationId, pending, cancellationToken);
    }

    public bool TryGetReturnType(string invocationId, out Type type)
    {
        if (_results.TryGetValue(invocationId, out var pending))
        {
            type = pending.ReturnType;
            return true;
        }

        type = typeof(object);
        return false;
    }

    public bool TrySetResult(string connectionId, CompletionMessage result)
    {
        if (result.InvocationId is null || !_results.TryGetValue(result.InvocationId, out var pending) || pending.ConnectionId != connectionId
            || !_results.TryRemove(result.InvocationId, out _))
        {
            return false;
        }

        if (result.Error is not null)
        {
            pending.Completion.TrySetException(new HubException(result.Error));
        }
        else
        {
            pending.Completion.TrySetResult(result.Result);
        }

        return true;
    }

    private async Task<T> AwaitResultAsync<T>(string invocationId, PendingResult pending, CancellationToken cancellationToken)
    {
        try
        {
            await using var registration = cancellationToken.Register(() => pending.Completion.TrySetCanceled(cancellationToken));
            return (T)(await pending.Completion.Task)!;
        }
        finally
        {
            _results.TryRemove(invocationId, out _);
        }
    }

    private void SendMembers(Dictionary<string, HashSet<Entry>> index, string key, SerializedHubMessage message, IReadOnlyList<string>? excluded)
    {
        Entry[] members;
        lock (_lock)
        {
            if (!index.TryGetValue(key, out var set))
            {
                return;
            }

            members = [.. set];
        }

        foreach (var entry in members)
        {
            if (excluded is null || !excluded.Contains(entry.Connection.ConnectionId))
            {
                entry.Outbox.Enqueue(message);
            }
        }
    }

    private static bool Join(Dictionary<string, HashSet<Entry>> index, string key, Entry entry)
    {
        if (!index.TryGetValue(key, out var set))
        {
            set = [];
            index.Add(key, set);
        }

        return set.Add(entry) && set.Count == 1;
    }

    private static bool Leave(Dictionary<string, HashSet<Entry>> index, string key, Entry entry)
    {
        if (!index.TryGetValue(key, out var set) || !set.Remove(entry))
        {
            return false;
        }

        if (set.Count == 0)
        {
            index.Remove(key);
            return true;
        }

        return false;
    }

    private sealed record PendingResult(string ConnectionId, Type ReturnType, TaskCompletionSource<object?> Completion);

    private sealed class Entry(HubConnectionContext connection, ConnectionOutbox outbox)
    {
        public HubConnectionContext Connection { get; } = connection;

        public ConnectionOutbox Outbox { get; } = outbox;

        public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);
    }
}
