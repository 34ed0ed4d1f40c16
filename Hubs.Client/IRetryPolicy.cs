namespace Hubs.Client;

/// <summary>Decides whether, and after how long, a lost connection is reconnected.</summary>
public interface IRetryPolicy
{
    /// <summary>
    /// Returns the delay before the next reconnect attempt, or null to stop reconnecting (the connection
    /// then closes and <see cref="HubConnection.Closed"/> is raised with the last error).
    /// </summary>
    TimeSpan? NextRetryDelay(RetryContext retryContext);
}
