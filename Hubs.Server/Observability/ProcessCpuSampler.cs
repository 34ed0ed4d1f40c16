namespace Hubs.Server.Observability;

/// <summary>
/// Process CPU use in percent of the whole machine over the last sampling window. A window shorter than a
/// second returns the previous value, so two readers (a scrape and an OTLP export) do not halve each other's window.
/// </summary>
internal sealed class ProcessCpuSampler(TimeProvider time)
{
    private static readonly TimeSpan MinimumWindow = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private long _lastTimestamp = time.GetTimestamp();
    private TimeSpan _lastCpu = Environment.CpuUsage.TotalTime;
    private double _lastPercent;

    public double Sample()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            var wall = time.GetElapsedTime(_lastTimestamp, now);
            if (wall < MinimumWindow)
            {
                return _lastPercent;
            }

            var cpu = Environment.CpuUsage.TotalTime;
            var percent = (cpu - _lastCpu).TotalSeconds / wall.TotalSeconds / Environment.ProcessorCount * 100.0;
            _lastPercent = Math.Clamp(percent, 0.0, 100.0);
            _lastTimestamp = now;
            _lastCpu = cpu;
            return _lastPercent;
        }
    }
}
