namespace Hubs.Server.Legacy;

/// <summary>Why a legacy socket ends; decides the goodbye message and the close status.</summary>
internal enum LegacyCloseReason
{
    /// <summary>The client sent a close frame.</summary>
    ClientClosed,

    /// <summary>The socket failed (the client vanished); nothing more can be sent.</summary>
    SocketFailed,

    /// <summary>A frame over <c>Limits:MaxMessageBytes</c>: close 1009.</summary>
    MessageTooBig,

    /// <summary>Graceful server shutdown: goodbye, then close 1001.</summary>
    ServerShutdown,

    /// <summary>No client frame for <c>Legacy:SessionTimeoutSeconds</c> (incident protocol).</summary>
    SessionTimeout,

    /// <summary>The connection's outbox overflowed (<see cref="Delivery.SlowConsumerFeature"/>).</summary>
    SlowConsumer,

    /// <summary>The token the socket was opened with expired.</summary>
    TokenExpired,

    /// <summary>The hub ended the connection (refused it in <c>OnConnectedAsync</c>, for example the per-user connection limit).</summary>
    HubClosed,
}
