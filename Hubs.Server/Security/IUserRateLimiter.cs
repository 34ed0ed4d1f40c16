namespace Hubs.Server.Security;

/// <summary>
/// Messages per user per sliding minute (<c>Limits:MessagesPerMinutePerUser</c>), shared by hub invocations
/// (<see cref="RateLimitHubFilter"/>) and any protocol that counts client messages itself.
/// </summary>
internal interface IUserRateLimiter
{
    /// <summary>Takes one message from <paramref name="userKey"/>'s allowance; false when it is used up (drop the message).</summary>
    bool TryAcquire(string userKey);
}
