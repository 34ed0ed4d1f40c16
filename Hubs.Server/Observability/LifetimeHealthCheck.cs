using Hubs.Server.Delivery;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hubs.Server.Observability;

/// <summary>
/// Unhealthy from the start of a graceful shutdown (the drain, then the host stopping), so a load balancer or
/// Kubernetes takes the instance out of rotation while its connections finish, instead of sending it new ones.
/// </summary>
internal sealed class LifetimeHealthCheck(IHostApplicationLifetime lifetime, ShutdownDrain drain) : IHealthCheck
{
    public const string Name = "lifetime";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            drain.IsDraining ? HealthCheckResult.Unhealthy("draining: the instance is shutting down and refuses new connections")
            : lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("stopping: the instance is shutting down")
            : HealthCheckResult.Healthy());
}
