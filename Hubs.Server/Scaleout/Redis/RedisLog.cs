namespace Hubs.Server.Scaleout.Redis;

/// <summary>Log messages of the Redis backplane. Event ids 310-349 (Scaleout range).</summary>
internal static partial class RedisLog
{
    [LoggerMessage(310, LogLevel.Warning, "Redis connection lost ({FailureType}, {ConnectionType}); local delivery continues, cross-instance delivery is degraded.")]
    public static partial void ConnectionLost(ILogger logger, string failureType, string connectionType, Exception? exception);

    [LoggerMessage(311, LogLevel.Information, "Redis connection restored ({ConnectionType}); restoring {Count} subscriptions.")]
    public static partial void ConnectionRestored(ILogger logger, string connectionType, int count);

    [LoggerMessage(312, LogLevel.Warning, "Publishing on Redis channel {Channel} failed; only this instance's connections got the message.")]
    public static partial void PublishFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(313, LogLevel.Warning, "Subscribing to Redis channel {Channel} failed; it is retried when Redis reconnects.")]
    public static partial void SubscribeFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(314, LogLevel.Error, "Handling a message on Redis channel {Channel} failed.")]
    public static partial void HandlerFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(315, LogLevel.Information, "Connected to Redis at {Configuration} as instance {InstanceId} (prefix {Prefix}).")]
    public static partial void Connected(ILogger logger, string configuration, string instanceId, string prefix);

    [LoggerMessage(316, LogLevel.Warning, "Refreshing presence in Redis failed.")]
    public static partial void PresenceRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(317, LogLevel.Warning, "Changing this instance's subscription to topic {Topic} failed.")]
    public static partial void TopicSubscriptionFailed(ILogger logger, string topic, Exception exception);

    [LoggerMessage(318, LogLevel.Information, "Topic {Topic}: {Count} broadcasts missed while the Redis connection was down were read back from {Stream} and delivered.")]
    public static partial void TopicCaughtUp(ILogger logger, string topic, int count, string stream);

    [LoggerMessage(319, LogLevel.Warning, "Topic {Topic}: broadcasts missed while the Redis connection was down were already trimmed from {Stream}; live subscribers lost some (clients resuming with since are told of the gap).")]
    public static partial void TopicCatchUpTruncated(ILogger logger, string topic, string stream);

    [LoggerMessage(320, LogLevel.Warning, "Topic {Topic}: no position in {Stream} was known when the Redis connection was lost, so what it missed meanwhile cannot be read back.")]
    public static partial void TopicCatchUpWithoutPosition(ILogger logger, string topic, string stream);

    [LoggerMessage(321, LogLevel.Warning, "Topic {Topic}: a broadcast arrived after a gap in {Stream} (pub/sub dropped entries before a reconnect was reported); reading the gap back.")]
    public static partial void TopicGap(ILogger logger, string topic, string stream);

    [LoggerMessage(322, LogLevel.Error, "Topic {Topic}: the gap in {Stream} could not be read back; live subscribers miss it (clients resuming with since get it from history).")]
    public static partial void TopicGapNotRead(ILogger logger, string topic, string stream, Exception exception);
}
