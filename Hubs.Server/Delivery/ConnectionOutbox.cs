using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hubs.Server.Delivery;

/// <summary>
/// A bounded, ordered queue of outgoing messages for one connection, drained by at most one writer.
/// Why: SignalR's lifetime managers await every recipient's flush, so a client that stops reading would
/// stall the fan-out for everyone. Here a send never waits for a slow recipient: when the connection's
/// transport is busy, the message waits in this queue (shared <see cref="SerializedHubMessage"/>, so a few
/// bytes each); past <see cref="DeliveryOptions.MaxPendingMessages"/> the connection is aborted as a slow consumer.
/// The fast path (nothing pending, the write completes synchronously) allocates nothing.
/// </summary>
internal sealed class ConnectionOutbox
{
    private readonly HubConnectionContext _connection;
    private readonly int _maxPending;
    private readonly Action<HubConnectionContext, int> _onSlowConsumer;
    private readonly Lock _lock = new();
    private Queue<SerializedHubMessage>? _pending;
    private bool _writing;
    private bool _closed;

    public ConnectionOutbox(HubConnectionContext connection, int maxPending, Action<HubConnectionContext, int> onSlowConsumer)
    {
        _connection = connection;
        _maxPending = maxPending;
        _onSlowConsumer = onSlowConsumer;
    }

    /// <summary>Messages waiting behind the one being written.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending?.Count ?? 0;
            }
        }
    }

    /// <summary>
    /// Queues one message to every outbox: serialized once per protocol for all of them (on first write), the same
    /// <see cref="SerializedHubMessage"/> in each queue.
    /// </summary>
    public static void EnqueueToAll(IReadOnlyList<ConnectionOutbox> outboxes, HubMessage message)
    {
        var serialized = new SerializedHubMessage(message);
        for (var i = 0; i < outboxes.Count; i++)
        {
            outboxes[i].Enqueue(serialized);
        }
    }

    /// <summary>Queues <paramref name="message"/> after everything queued before it. Never waits for the transport.</summary>
    public void Enqueue(SerializedHubMessage message)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            if (_writing)
            {
                _pending ??= new Queue<SerializedHubMessage>();
                if (_pending.Count >= _maxPending)
                {
                    _closed = true;
                    var count = _pending.Count;
                    _pending.Clear();
                    _onSlowConsumer(_connection, count);
                    return;
                }

                _pending.Enqueue(message);
                return;
            }

            _writing = true;
        }

        var write = _connection.WriteAsync(message);
        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            if (!TryFinishWriting())
            {
                _ = DrainAsync(default);
            }
        }
        else
        {
            _ = DrainAsync(write);
        }
    }

    /// <summary>Stops accepting messages (the connection closed).</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            _pending?.Clear();
        }
    }

    private async Task DrainAsync(ValueTask inFlight)
    {
        try
        {
            await inFlight;
            while (true)
            {
                SerializedHubMessage next;
                lock (_lock)
                {
                    if (_closed || _pending is null || _pending.Count == 0)
                    {
                        _writing = false;
                        return;
                    }

                    next = _pending.Dequeue();
                }

                await _connection.WriteAsync(next);
            }
        }
#pragma warning disable CA1031 // The connection is going away; its own close path reports why.
        catch (Exception)
#pragma warning restore CA1031
        {
            Close();
        }
    }

    private bool TryFinishWriting()
    {
        lock (_lock)
        {
            if (_pending is null || _pending.Count == 0 || _closed)
            {
                _writing = false;
                return true;
            }

            return false;
        }
    }
}
