namespace Hubs.Client;

/// <summary>What an <see cref="IRetryPolicy"/> knows when it picks the next delay.</summary>
/// <param name="PreviousRetryCount">How many reconnect attempts have failed so far (0 before the first).</param>
/// <param name="ElapsedTime">Time since the connection was lost.</param>
/// <param name="RetryReason">Why the connection was lost, or why the last attempt failed.</param>
public sealed record RetryContext(long PreviousRetryCount, TimeSpan ElapsedTime, Exception? RetryReason);
