using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Hubs.Bench;

/// <summary>The scenarios; each prints one JSON line (saturation: one per step, then the knee).</summary>
internal static class Scenarios
{
    public static async Task<int> FanoutAsync(BenchArgs args)
    {
        var subscribers = args.Int("subscribers", 1000);
        var groups = args.Int("groups", 10);
        var rate = args.Double("rate", 200);
        await using var pool = await StartFanoutPoolAsync(args, subscribers, groups);
        using var publisher = new Publisher(new Uri(args.Get("pub-url", "http://127.0.0.1:5000")), groups, args.Int("payload", 256));
        await publisher.RunAsync(Math.Min(rate, 200), TimeSpan.FromSeconds(args.Double("warmup", 3)), warmUp: true);
        var line = await MeasureAsync(args, pool, publisher, rate, subscribers, groups);
        Emit(args, line);
        return 0;
    }

    public static async Task<int> SaturationAsync(BenchArgs args)
    {
        var subscribers = args.Int("subscribers", 1000);
        var groups = args.Int("groups", 10);
        var rate = args.Double("rate", 200);
        var factor = args.Double("factor", 1.5);
        var maxP99 = args.Double("max-p99-ms", 50);
        await using var pool = await StartFanoutPoolAsync(args, subscribers, groups);
        using var publisher = new Publisher(new Uri(args.Get("pub-url", "http://127.0.0.1:5000")), groups, args.Int("payload", 256), maxInFlight: 512);
        await publisher.RunAsync(Math.Min(rate, 200), TimeSpan.FromSeconds(args.Double("warmup", 3)), warmUp: true);
        Dictionary<string, object?>? knee = null;
        string? stopReason = null;
        for (var step = 0; step < args.Int("max-steps", 12); step++)
        {
            var line = await MeasureAsync(args, pool, publisher, rate, subscribers, groups);
            line["scenario"] = args.Get("scenario", "saturation") + "-step";
            Emit(args, line);
            var loss = (double)line["loss"]!;
            var p99 = line["p99_ms"] as double? ?? double.MaxValue;
            var achieved = (double)line["publish_rate"]!;
            if (loss > 0 || p99 > maxP99 || achieved < 0.95 * rate || (long)line["connections_lost"]! > 0)
            {
                stopReason = loss > 0 ? "loss" : p99 > maxP99 ? "p99" : achieved < 0.95 * rate ? "publisher could not keep the rate" : "connections lost";
                break;
            }

            knee = line;
            rate = Math.Round(rate * factor);
        }

        var result = new Dictionary<string, object?>(knee ?? [])
        {
            ["scenario"] = args.Get("scenario", "saturation"),
            ["target"] = args.Get("target", "hubs"),
            ["knee_deliveries_per_s"] = knee?["deliveries_per_s"] ?? 0.0,
            ["knee_publish_rate"] = knee?["rate"] ?? 0.0,
            ["stopped_by"] = stopReason ?? "max steps",
        };
        Emit(args, result);
        return 0;
    }

    public static async Task<int> IdleAsync(BenchArgs args)
    {
        var pids = args.Pids();
        var rss0 = ProcStats.RssKb(pids);
        var cpu0 = ProcStats.CpuSeconds(pids);
        var wall = Stopwatch.StartNew();
        var target = args.Int("connections", 1000);
        await using var pool = await WorkerPool.StartAsync(
            args.Int("workers", 4), target, ["--mode", "idle", "--url", args.Get("url", "http://127.0.0.1:5000/hubs/projects"), "--connect-parallel", args.Get("connect-parallel", "64")], TimeSpan.FromMinutes(10));
        var connectSeconds = wall.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(args.Double("settle", 5)));
        var rss1 = ProcStats.RssKb(pids);
        var cpu1 = ProcStats.CpuSeconds(pids);
        var line = Base(args, "idle");
        line["connections"] = pool.Connected;
        line["connect_failed"] = pool.Failed;
        line["connect_seconds"] = Round(connectSeconds);
        line["server_rss_mb_before"] = Round(rss0 / 1024.0);
        line["server_rss_mb_after"] = Round(rss1 / 1024.0);
        line["rss_kb_per_conn"] = pool.Connected == 0 ? null : Round((rss1 - rss0) / (double)pool.Connected);
        line["server_cpu_s"] = Round(cpu1 - cpu0);
        line["generator_rss_mb"] = Round(ProcStats.RssKb(pool.Pids) / 1024.0);
        Emit(args, line);
        return 0;
    }

    public static async Task<int> GenerationAsync(BenchArgs args)
    {
        var streams = args.Int("streams", 200);
        await using var pool = await WorkerPool.StartAsync(
            args.Int("workers", 2), streams, ["--mode", "generation", "--url", args.Get("url", "http://127.0.0.1:5000/hubs/generation")], TimeSpan.FromMinutes(5));
        await pool.SendAsync("GO");
        await Task.Delay(TimeSpan.FromSeconds(args.Double("warmup", 3)));
        await pool.MarkAsync();
        var serverPids = args.Pids();
        var generatorPids = pool.Pids.Append(Environment.ProcessId).ToArray();
        var cpu0 = ProcStats.CpuSeconds(serverPids);
        var gen0 = ProcStats.CpuSeconds(generatorPids);
        var wall = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(args.Double("duration", 15)));
        var stats = await pool.MarkAsync();
        var seconds = wall.Elapsed.TotalSeconds;
        var cpu = ProcStats.CpuSeconds(serverPids) - cpu0;
        var gen = ProcStats.CpuSeconds(generatorPids) - gen0;
        var line = Base(args, "generation");
        line["connections"] = pool.Connected;
        line["streams"] = streams;
        Fill(line, stats, seconds, cpu, gen, expected: null);
        line["stream_errors"] = stats.Sum(s => s.Errors);
        Emit(args, line);
        return 0;
    }

    private static Task<WorkerPool> StartFanoutPoolAsync(BenchArgs args, int subscribers, int groups) =>
        WorkerPool.StartAsync(
            args.Int("workers", 4),
            subscribers,
            ["--mode", "fanout", "--url", args.Get("url", "http://127.0.0.1:5000/hubs/projects"), "--groups", groups.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromMinutes(5));

    private static async Task<Dictionary<string, object?>> MeasureAsync(BenchArgs args, WorkerPool pool, Publisher publisher, double rate, int subscribers, int groups)
    {
        var serverPids = args.Pids();
        var generatorPids = pool.Pids.Append(Environment.ProcessId).ToArray();
        await pool.MarkAsync();
        var cpu0 = ProcStats.CpuSeconds(serverPids);
        var gen0 = ProcStats.CpuSeconds(generatorPids);
        var wall = Stopwatch.StartNew();
        var outcome = await publisher.RunAsync(rate, TimeSpan.FromSeconds(args.Double("duration", 15)), warmUp: false);
        var publishSeconds = wall.Elapsed.TotalSeconds;
        var expected = outcome.Expected(subscribers, groups);

        // Drain: wait until everything owed arrived, or nothing more arrives for a second (max 10 s).
        long last = -1;
        var quiet = Stopwatch.StartNew();
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed < TimeSpan.FromSeconds(10))
        {
            var count = await pool.CountAsync();
            if (count >= expected)
            {
                break;
            }

            if (count != last)
            {
                last = count;
                quiet.Restart();
            }
            else if (quiet.Elapsed > TimeSpan.FromSeconds(1))
            {
                break;
            }

            await Task.Delay(100);
        }

        var cpu = ProcStats.CpuSeconds(serverPids) - cpu0;
        var gen = ProcStats.CpuSeconds(generatorPids) - gen0;
        var stats = await pool.MarkAsync();
        var line = Base(args, args.Get("scenario", "fanout"));
        line["connections"] = pool.Connected;
        line["subscribers"] = subscribers;
        line["groups"] = groups;
        line["rate"] = rate;
        line["publish_rate"] = Round(outcome.AchievedRate);
        line["publish_failed"] = outcome.Failed;
        line["payload_bytes"] = args.Int("payload", 256);
        Fill(line, stats, publishSeconds, cpu, gen, expected);
        return line;
    }

    private static void Fill(Dictionary<string, object?> line, IReadOnlyList<WorkerStats> stats, double seconds, double serverCpu, double generatorCpu, long? expected)
    {
        var merged = new LatencyHistogram.Merged();
        foreach (var s in stats)
        {
            merged.Add(s.Latency);
        }

        var received = stats.Sum(s => s.Received);
        line["deliveries"] = received;
        if (expected is { } owed)
        {
            line["expected"] = owed;
            line["loss"] = owed == 0 ? 0.0 : Math.Max(0, Math.Round(1 - (received / (double)owed), 6));
        }

        line["connections_lost"] = stats.Sum(s => s.Lost);
        line["seconds"] = Round(seconds);
        line["deliveries_per_s"] = Round(received / seconds);
        line["p50_ms"] = merged.PercentileMs(50);
        line["p95_ms"] = merged.PercentileMs(95);
        line["p99_ms"] = merged.PercentileMs(99);
        line["max_ms"] = merged.Count == 0 ? null : merged.MaxMicros / 1000.0;
        line["server_cpu_s"] = Round(serverCpu);
        line["server_cpu_us_per_delivery"] = received == 0 ? null : Round(serverCpu * 1e6 / received);
        line["server_cpu_pct"] = Round(serverCpu * 100 / seconds);
        line["generator_cpu_pct"] = Round(generatorCpu * 100 / seconds);
    }

    private static Dictionary<string, object?> Base(BenchArgs args, string scenario) => new()
    {
        ["scenario"] = scenario,
        ["target"] = args.Get("target", "hubs"),
        ["generator"] = "dotnet",
        ["server_pids"] = args.Pids().Count,
    };

    private static void Emit(BenchArgs args, Dictionary<string, object?> line)
    {
        var json = JsonSerializer.Serialize(line);
        Console.WriteLine(json);
        if (args.Find("out") is { } path)
        {
            File.AppendAllText(path, json + Environment.NewLine);
        }
    }

    private static double Round(double value) => Math.Round(value, 3);
}
