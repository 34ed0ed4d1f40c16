namespace Hubs.Client;

/// <summary>
/// Retries after a fixed list of delays, then gives up. The default, like SignalR's, is 0, 2, 10 and 30 seconds
/// (four attempts, about 42 seconds in all).
/// </summary>
public sealed class DefaultRetryPolicy : IRetryPolicy
{
    private readonly TimeSpan[] _delays;

    /// <summary>Creates the default policy: 0, 2, 10 and 30 seconds.</summary>
    public DefaultRetryPolicy()
        : this([TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)])
    {
    }

    /// <summary>Creates a policy that waits <paramref name="delays"/>[n] before attempt n and gives up after the last.</summary>
    public DefaultRetryPolicy(IEnumerable<TimeSpan> delays)
    {
        ArgumentNullException.ThrowIfNull(delays);
        _delays = [.. delays];
        foreach (var delay in _delays)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(delays));
        }
    }

    /// <inheritdoc/>
    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        ArgumentNullException.ThrowIfNull(retryContext);
        return retryContext.PreviousRetryCount < _delays.Length ? _delays[retryContext.PreviousRetryCount] : null;
    }
}
