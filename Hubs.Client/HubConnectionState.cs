namespace Hubs.Client;

/// <summary>The life-cycle state of a <see cref="HubConnection"/>.</summary>
public enum HubConnectionState
{
    /// <summary>Not connected: never started, stopped, or closed after reconnecting gave up.</summary>
    Disconnected = 0,

    /// <summary><see cref="HubConnection.StartAsync"/> is connecting and handshaking.</summary>
    Connecting = 1,

    /// <summary>Connected and handshaken; invocations can be sent.</summary>
    Connected = 2,

    /// <summary>The connection was lost and the retry policy is reconnecting; invocations fail until it is back.</summary>
    Reconnecting = 3,
}
