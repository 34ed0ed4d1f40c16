using Hubs.Server.Observability;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hubs.Server.Scaleout.Redis;

/// <summary>Health check <c>redis</c>: healthy when connected, degraded (not unhealthy: local delivery still works) otherwise.</summary>
internal sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = redis.State;
        var data = new Dictionary<string, object> { [HealthResponses.RedisStateKey] = state };
        return Task.FromResult(state == RedisConnection.StateConnected
            ? HealthCheckResult.Healthy("Redis backplane connected.", data)
            : HealthCheckResult.Degraded($"Redis backplane {state}: local delivery works, other instances are not reached.", data: data));
    }
}
