using Microsoft.Extensions.Logging;

namespace Hubs.Client;

/// <summary>Log messages of the client. Event ids 900-999 are stable: dashboards and alerts may key on them.</summary>
internal static partial class HubClientLog
{
    [LoggerMessage(900, LogLevel.Debug, "Connecting to {Url}.")]
    public static partial void Connecting(ILogger logger, Uri url);

    [LoggerMessage(901, LogLevel.Information, "Connected to {Url}.")]
    public static partial void Connected(ILogger logger, Uri url);

    [LoggerMessage(902, LogLevel.Warning, "Connection to {Url} lost.")]
    public static partial void ConnectionLost(ILogger logger, Uri url, Exception? exception);

    [LoggerMessage(903, LogLevel.Warning, "No message from {Url} within the server timeout of {Timeout}; closing the connection.")]
    public static partial void ServerTimeout(ILogger logger, Uri url, TimeSpan timeout);

    [LoggerMessage(904, LogLevel.Information, "Reconnect attempt {Attempt} to {Url} in {Delay}.")]
    public static partial void ReconnectScheduled(ILogger logger, long attempt, Uri url, TimeSpan delay);

    [LoggerMessage(905, LogLevel.Warning, "Reconnect attempt {Attempt} to {Url} failed.")]
    public static partial void ReconnectAttemptFailed(ILogger logger, long attempt, Uri url, Exception exception);

    [LoggerMessage(906, LogLevel.Information, "Reconnected to {Url}.")]
    public static partial void Reconnected(ILogger logger, Uri url);

    [LoggerMessage(907, LogLevel.Warning, "Gave up reconnecting to {Url} after {Attempts} failed attempts.")]
    public static partial void ReconnectGaveUp(ILogger logger, Uri url, long attempts);

    [LoggerMessage(908, LogLevel.Information, "Connection to {Url} stopped.")]
    public static partial void Stopped(ILogger logger, Uri url);

    [LoggerMessage(909, LogLevel.Information, "Server closed the connection (error: {Error}, allow reconnect: {AllowReconnect}).")]
    public static partial void ServerClosed(ILogger logger, string? error, bool allowReconnect);

    [LoggerMessage(910, LogLevel.Error, "Handler for '{Method}' threw.")]
    public static partial void CallbackFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(911, LogLevel.Warning, "Could not bind the arguments of '{Method}'; the message was dropped (no handler registered, or argument types differ).")]
    public static partial void CallbackBindingFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(912, LogLevel.Error, "A {Event} event handler threw.")]
    public static partial void EventHandlerFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(913, LogLevel.Warning, "The server asked for a result of '{Method}'; client results are not supported, answering with an error.")]
    public static partial void ClientResultNotSupported(ILogger logger, string method);

    [LoggerMessage(914, LogLevel.Debug, "Sending a best-effort {Message} failed.")]
    public static partial void BestEffortSendFailed(ILogger logger, string message, Exception exception);

    [LoggerMessage(915, LogLevel.Debug, "Ignored a {MessageType} from the server.")]
    public static partial void IgnoredMessage(ILogger logger, string messageType);

    [LoggerMessage(916, LogLevel.Warning, "Could not read an item of stream {InvocationId}; the stream fails.")]
    public static partial void StreamBindingFailed(ILogger logger, string invocationId, Exception exception);

    [LoggerMessage(917, LogLevel.Debug, "No handler is registered for '{Method}'; the message was dropped.")]
    public static partial void NoHandler(ILogger logger, string method);
}
