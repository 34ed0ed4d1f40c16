using Microsoft.Extensions.Options;

namespace Hubs.Server.Observability;

/// <summary>The instance name and start time reported by the health endpoints.</summary>
internal sealed class HubsHealthInfo(IOptions<ObservabilityOptions> options, TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();

    public string Instance { get; } = string.IsNullOrWhiteSpace(options.Value.Instance) ? Environment.MachineName : options.Value.Instance;

    public double UptimeSeconds => Math.Round(time.GetElapsedTime(_started).TotalSeconds, 3);
}
