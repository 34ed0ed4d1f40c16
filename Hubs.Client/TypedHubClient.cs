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

    /// <inheritdoc cref="HubConnection.DisposeAsync"/>
    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
