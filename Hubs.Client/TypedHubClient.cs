namespace Hubs.Client;

/// <summary>
/// What every typed client shares: the underlying <see cref="HubConnection"/> and its life cycle. A typed client
/// implements its hub's server interface from Hubs.Contracts (so the compiler keeps method names and signatures
/// in step with the server) and offers an <c>On...</c> registration per method of the matching callback interface.
/// </summary>
public abstract class TypedHubClient : IAsyncDisposable
{
    /// <summary>Wraps <paramref name="connection"/>; the typed client owns it from now on (disposing one disposes the other).</summary>
    protected TypedHubClient(HubConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
    }

    /// <summary>
    /// The untyped connection: its state, its <see cref="HubConnection.Reconnecting"/>,
    /// <see cref="HubConnection.Reconnected"/> and <see cref="HubConnection.Closed"/> events, and raw invocations.
    /// </summary>
    public HubConnection Connection { get; }

    /// <summary>The connection's current state.</summary>
    public HubConnectionState State => Connection.State;

    /// <inheritdoc cref="HubConnection.StartAsync"/>
    public Task StartAsync(CancellationToken cancellationToken = default) => Connection.StartAsync(cancellationToken);

    /// <inheritdoc cref="HubConnection.StopAsync"/>
    public Task StopAsync(CancellationToken cancellationToken = default) => Connection.StopAsync(cancellationToken);

    /// <summary>Runs every handler of an event in turn; one that throws does not keep the others from running.</summary>
    private protected async Task RaiseAsync<T>(Func<T, Task> handlers, T argument)
    {
        foreach (var handler in handlers.GetInvocationList().Cast<Func<T, Task>>())
        {
            await RunHandlerAsync(() => handler(argument), typeof(T).Name).ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="RaiseAsync{T}(Func{T, Task}, T)"/>
    private protected async Task RaiseAsync<T1, T2>(Func<T1, T2, Task> handlers, T1 argument1, T2 argument2)
    {
        foreach (var handler in handlers.GetInvocationList().Cast<Func<T1, T2, Task>>())
        {
            await RunHandlerAsync(() => handler(argument1, argument2), "ResubscribeFailed").ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="HubConnection.DisposeAsync"/>
    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    private async Task RunHandlerAsync(Func<Task> handler, string eventName)
    {
        try
        {
            await handler().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // An application handler that throws must not silence the next one.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Resume.ResumeLog.HandlerFailed(Connection.Logger, eventName, ex);
        }
    }
}
