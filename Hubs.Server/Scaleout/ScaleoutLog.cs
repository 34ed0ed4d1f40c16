using Microsoft.Extensions.Logging;

namespace Hubs.Server.Scaleout;

/// <summary>Log messages of the scale-out components. Event ids 300-399; do not reuse.</summary>
internal static partial class ScaleoutLog
{
    [LoggerMessage(300, LogLevel.Error, "A subscriber of topic {Topic} failed on event {MessageId}.")]
    public static partial void SubscriberFailed(ILogger logger, string topic, string messageId, Exception exception);
}
