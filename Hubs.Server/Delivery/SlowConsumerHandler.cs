using Microsoft.AspNetCore.SignalR;

namespace Hubs.Server.Delivery;

/// <summary>Cuts off a connection whose outbox overflowed, and says so in the log (and, through the feature, to legacy clients).</summary>
internal sealed partial class SlowConsumerHandler
{
    private readonly ILogger<SlowConsumerHandler> _logger;

    public SlowConsumerHandler(ILogger<SlowConsumerHandler> logger) => _logger = logger;

    /// <summary>Raised after a slow consumer was aborted (metrics hook).</summary>
    public event Action<HubConnectionContext>? Disconnected;

    public void Disconnect(HubConnectionContext connection, int pending)
    {
        connection.Features.Set(new SlowConsumerFeature { PendingMessages = pending });
        Log.SlowConsumer(_logger, connection.ConnectionId, pending);
        connection.Abort();
        Disconnected?.Invoke(connection);
    }

    private static partial class Log
    {
        [LoggerMessage(1000, LogLevel.Warning, "Connection {ConnectionId} fell {Pending} messages behind and was disconnected as a slow consumer.")]
        public static partial void SlowConsumer(ILogger logger, string connectionId, int pending);
    }
}
