using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Hubs.Tests.Client;

/// <summary>What the test hubs saw, shared with the test (and across a server restart).</summary>
internal sealed class ServerObservations
{
    private readonly Channel<string> _records = Channel.CreateUnbounded<string>();

    public TaskCompletionSource HangStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource StreamCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Calls { get; } = new();

    public void Record(string value)
    {
        Calls.Enqueue(value);
        _records.Writer.TryWrite(value);
    }

    public ValueTask<string> NextRecordAsync(CancellationToken cancellationToken) => _records.Reader.ReadAsync(cancellationToken);
}
