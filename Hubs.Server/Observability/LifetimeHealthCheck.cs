using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hubs.Server.Observability;

/// <summary>
/// Unhealthy once the host has begun to stop, so a load balancer or Kubernetes takes the instance out of
/// rotation while its connections drain, instead of sending it new ones.
/// </summary>
internal sealed class LifetimeHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public const string Name = "lifetime";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("The instance is shutting down.")
            : HealthCheckResult.Healthy());
}
