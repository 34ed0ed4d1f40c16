using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Hubs.Bench;

/// <summary>The coordinator's side of its worker processes: spawn, command by line, collect, clean up.</summary>
internal sealed class WorkerPool : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    private WorkerPool()
    {
    }

    public IReadOnlyList<int> Pids => _processes.Select(p => p.Id).ToArray();

    public int Connected { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Spawns <paramref name="workers"/> processes sharing <paramref name="connections"/> connections and waits until all are connected.</summary>
    public static async Task<WorkerPool> StartAsync(int workers, int connections, IReadOnlyList<string> commonArgs, TimeSpan timeout)
    {
        var pool = new WorkerPool();
        var self = Environment.ProcessPath!;
        var prefix = Path.GetFileNameWithoutExtension(self) == "dotnet" ? new[] { typeof(WorkerPool).Assembly.Location } : [];
        var first = 0;
        for (var i = 0; i < workers; i++)
        {
            var count = (connections / workers) + (i < connections % workers ? 1 : 0);
            var start = new ProcessStartInfo(self)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = false,
                UseShellExecute = false,
            };
            foreach (var a in prefix.Concat(["worker", "--index", i.ToString(CultureInfo.InvariantCulture), "--first", first.ToString(CultureInfo.InvariantCulture), "--count", count.ToString(CultureInfo.InvariantCulture)]).Concat(commonArgs))
            {
                start.ArgumentList.Add(a);
            }

            pool._processes.Add(Process.Start(start)!);
            first += count;
        }

        using var cts = new CancellationTokenSource(timeout);
        foreach (var reply in await pool.ReadAllAsync("READY", cts.Token))
        {
            var parts = reply.Split(' ');
            pool.Connected += int.Parse(parts[0], CultureInfo.InvariantCulture);
            pool.Failed += int.Parse(parts[1], CultureInfo.InvariantCulture);
        }

        return pool;
    }

    public async Task<long> CountAsync()
    {
        var replies = await CommandAsync("COUNT", "COUNT");
        return replies.Sum(r => long.Parse(r, CultureInfo.InvariantCulture));
    }

    public async Task<IReadOnlyList<WorkerStats>> MarkAsync()
    {
        var replies = await CommandAsync("MARK", "STATS");
        return replies.Select(r => JsonSerializer.Deserialize<WorkerStats>(r)!).ToArray();
    }

    public async Task SendAsync(string command)
    {
        foreach (var p in _processes)
        {
            await p.StandardInput.WriteLineAsync(command);
            await p.StandardInput.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await SendAsync("STOP");
            await ReadAllAsync("STOPPED", cts.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
        }

        foreach (var p in _processes)
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }

            p.Dispose();
        }
    }

    private async Task<string[]> CommandAsync(string command, string replyPrefix)
    {
        await SendAsync(command);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await ReadAllAsync(replyPrefix, cts.Token);
    }

    private Task<string[]> ReadAllAsync(string prefix, CancellationToken cancellationToken) =>
        Task.WhenAll(_processes.Select(async p =>
        {
            while (await p.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line.Length > prefix.Length ? line[(prefix.Length + 1)..] : string.Empty;
                }
            }

            throw new IOException($"worker {p.Id} ended before answering {prefix}");
        }));
}
