using Microsoft.Extensions.Logging;

namespace Hubs.Client.Resume;

/// <summary>Log messages of subscription resume (event ids 1100-1199).</summary>
internal static partial class ResumeLog
{
    [LoggerMessage(1100, LogLevel.Information, "Resubscribed {Subscription} after a reconnect since {Since}: {Replayed} replayed.")]
    public static partial void Resubscribed(ILogger logger, string subscription, string? since, int replayed);

    [LoggerMessage(1101, LogLevel.Warning, "History gap on {Subscription}: {Since} is older than the server's retained history; events in between are lost.")]
    public static partial void HistoryGap(ILogger logger, string subscription, string? since);

    [LoggerMessage(1102, LogLevel.Error, "Resubscribing {Subscription} after a reconnect failed; it resumes on the next reconnect.")]
    public static partial void ResubscribeFailed(ILogger logger, string subscription, Exception exception);

    [LoggerMessage(1103, LogLevel.Debug, "Dropped a duplicate of {MessageId}.")]
    public static partial void DuplicateDropped(ILogger logger, string messageId);

    [LoggerMessage(1104, LogLevel.Error, "A {Event} handler threw.")]
    public static partial void HandlerFailed(ILogger logger, string @event, Exception exception);
}
