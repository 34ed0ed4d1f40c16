using System.Runtime.CompilerServices;
using Hubs.Contracts.Generation;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Server.Web;

/// <summary>Feeds <see cref="ServiceStats"/>: connections per hub, and generation streams from start to end.</summary>
internal sealed class StatsHubFilter : IHubFilter
{
    private readonly ServiceStats _stats;

    public StatsHubFilter(ServiceStats stats) => _stats = stats;

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);

        // Counted only once OnConnectedAsync succeeded: SignalR calls OnDisconnectedAsync only for those.
        _stats.Connected(HubName(context.Hub));
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        _stats.Disconnected(HubName(context.Hub));
        await next(context, exception);
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var result = await next(invocationContext);
        return result is IAsyncEnumerable<GenerationUpdate> generation ? Counted(generation) : result;
    }

    private async IAsyncEnumerable<GenerationUpdate> Counted(IAsyncEnumerable<GenerationUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        _stats.GenerationStarted();
        try
        {
            await foreach (var update in updates.WithCancellation(cancellationToken))
            {
                yield return update;
            }
        }
        finally
        {
            _stats.GenerationEnded();
        }
    }

    private static string HubName(Hub hub)
    {
        var name = hub.GetType().Name;
        return (name.EndsWith("Hub", StringComparison.Ordinal) ? name[..^3] : name).ToLowerInvariant();
    }
}
