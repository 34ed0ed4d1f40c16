using System.Net.WebSockets;

namespace Hubs.Server.Legacy;

/// <summary>Log messages of the legacy bridges. Event ids 600-699; do not reuse.</summary>
internal static partial class LegacyLog
{
    [LoggerMessage(600, LogLevel.Debug, "Legacy socket {ConnectionId} opened on {Path} ({Protocol}).")]
    public static partial void Opened(ILogger logger, string connectionId, string path, string protocol);

    [LoggerMessage(601, LogLevel.Debug, "Legacy socket {ConnectionId} closed: {Reason}, status {Status}.")]
    public static partial void Closed(ILogger logger, string connectionId, LegacyCloseReason reason, WebSocketCloseStatus? status);

    [LoggerMessage(602, LogLevel.Information, "Legacy socket on {Path} refused with 1008: {Message}.")]
    public static partial void UserPathRefused(ILogger logger, string path, string message);

    [LoggerMessage(603, LogLevel.Information, "Legacy socket {ConnectionId} sent a frame over {Limit} bytes; closing with 1009.")]
    public static partial void MessageTooBig(ILogger logger, string connectionId, int limit);

    [LoggerMessage(604, LogLevel.Warning, "Legacy socket {ConnectionId}: the hub refused the bridge handshake: {Response}.")]
    public static partial void HandshakeFailed(ILogger logger, string connectionId, string response);

    [LoggerMessage(605, LogLevel.Debug, "Legacy socket {ConnectionId} failed while sending.")]
    public static partial void SendFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(606, LogLevel.Debug, "Legacy socket {ConnectionId} did not finish closing within {Timeout}; aborted.")]
    public static partial void CloseTimedOut(ILogger logger, string connectionId, TimeSpan timeout);

    [LoggerMessage(607, LogLevel.Information, "Shutting down: saying goodbye to {Count} legacy sockets.")]
    public static partial void ShuttingDown(ILogger logger, int count);

    [LoggerMessage(608, LogLevel.Information, "Legacy socket {ConnectionId} idle for {Timeout}; closing (session_timeout).")]
    public static partial void SessionTimedOut(ILogger logger, string connectionId, TimeSpan timeout);

    [LoggerMessage(609, LogLevel.Warning, "Legacy socket {ConnectionId}: the hub connection failed.")]
    public static partial void HubFailed(ILogger logger, string connectionId, Exception exception);
}
