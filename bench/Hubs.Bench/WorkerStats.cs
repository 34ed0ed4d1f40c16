using System.Text.Json.Serialization;

namespace Hubs.Bench;

/// <summary>What a worker reports at each MARK: deliveries since the last one, connections lost, errors, latencies.</summary>
internal sealed record WorkerStats(
    [property: JsonPropertyName("received")] long Received,
    [property: JsonPropertyName("lost")] long Lost,
    [property: JsonPropertyName("errors")] long Errors,
    [property: JsonPropertyName("latency")] LatencyHistogram.Snapshot Latency);
