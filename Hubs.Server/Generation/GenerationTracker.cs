using System.Runtime.CompilerServices;

namespace Hubs.Server.Generation;

/// <summary>
/// Counts running generations so that a graceful shutdown can wait for them (up to the drain time) before
/// connections are closed.
/// </summary>
internal sealed class GenerationTracker
{
    private readonly Lock _lock = new();
    private int _running;
    private TaskCompletionSource? _idle;

    public int Running => Volatile.Read(ref _running);

    public async IAsyncEnumerable<T> Track<T>(IAsyncEnumerable<T> stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _running++;
        }

        try
        {
            await foreach (var item in stream.WithCancellation(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            lock (_lock)
            {
                if (--_running == 0)
                {
                    _idle?.TrySetResult();
                    _idle = null;
                }
            }
        }
    }

    /// <summary>Completes when no generation runs (at once if none does).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_running == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }
}
