using System.Globalization;

namespace Hubs.Bench;

/// <summary>CPU time and resident memory of processes, read from /proc (Linux only, as the benchmark is).</summary>
internal static class ProcStats
{
    // USER_HZ is 100 on every Linux this runs on; /proc/<pid>/stat reports utime and stime in those ticks.
    private const double TicksPerSecond = 100.0;

    /// <summary>User + system CPU seconds of the process (0 when it is gone).</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may contain spaces) start after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (utime + stime) / TicksPerSecond;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public static double CpuSeconds(IEnumerable<int> pids) => pids.Sum(CpuSeconds);

    /// <summary>VmRSS in KB (0 when the process is gone).</summary>
    public static long RssKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    public static long RssKb(IEnumerable<int> pids) => pids.Sum(RssKb);
}
