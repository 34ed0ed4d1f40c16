using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Hubs.Client;

/// <summary>
/// Runs user callbacks off the receive loop, one at a time, in the order the messages arrived. A slow handler
/// delays later callbacks of the same connection but never invocation results, stream items or pings.
/// The queue is unbounded: the server's flow is not throttled by a slow handler.
/// </summary>
internal sealed class CallbackDispatcher
{
    private readonly Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly ILogger _logger;

    public CallbackDispatcher(ILogger logger)
    {
        _logger = logger;
        _ = Task.Run(RunAsync);
    }

    public void Enqueue(string methodName, CallbackRegistry.Callback[] callbacks, object?[] arguments) =>
        _queue.Writer.TryWrite(new WorkItem(methodName, callbacks, arguments));

    /// <summary>Stops accepting work; what is queued still runs.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task RunAsync()
    {
        await foreach (var item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            foreach (var callback in item.Callbacks)
            {
                try
                {
                    await callback.Handler(item.Arguments).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A throwing user handler must not stop later callbacks.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    HubClientLog.CallbackFailed(_logger, item.MethodName, ex);
                }
            }
        }
    }

    private readonly record struct WorkItem(string MethodName, CallbackRegistry.Callback[] Callbacks, object?[] Arguments);
}
