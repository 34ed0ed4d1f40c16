using System.Diagnostics;
using System.Text.Json;
using Hubs.Client;
using Hubs.Client.Generation;
using Hubs.Contracts.Generation;
using Hubs.Contracts.Projects;

namespace Hubs.Bench;

/// <summary>
/// One generator process: opens its share of the connections from its own source address, then follows the
/// coordinator's line commands on stdin (MARK, COUNT, GO, STOP) and answers on stdout.
/// </summary>
internal sealed class Worker
{
    private readonly BenchArgs _args;
    private readonly LatencyHistogram _latency = new();
    private readonly List<HubConnection> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private long _received;
    private long _lost;
    private long _errors;

    public Worker(BenchArgs args) => _args = args;

    public async Task<int> RunAsync()
    {
        var mode = _args.Get("mode", "fanout");
        var url = new Uri(_args.Get("url", "http://127.0.0.1:5000/hubs/projects"));
        var count = _args.Int("count", 100);
        var first = _args.Int("first", 0);
        var groups = _args.Int("groups", 10);
        var parallel = _args.Int("connect-parallel", 32);
        using var handler = SourceAddresses.Handler(SourceAddresses.ForWorker(_args.Int("index", 0)));
        using var invoker = new HttpMessageInvoker(handler);

        var failed = 0;
        using var gate = new SemaphoreSlim(parallel);
        var connects = Enumerable.Range(first, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var connection = new HubConnection(url, o =>
                {
                    o.HttpMessageInvoker = invoker;
                    o.RetryPolicy = null;
                    o.HandshakeTimeout = TimeSpan.FromSeconds(60);
                });
                if (mode == "fanout")
                {
                    connection.On<ProjectUpdate>("ProjectUpdated", OnUpdate);
                }

                connection.Closed += _ =>
                {
                    if (!_stop.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref _lost);
                    }

                    return Task.CompletedTask;
                };
                await connection.StartAsync();
                if (mode == "fanout")
                {
                    await connection.InvokeAsync<JsonElement>("Subscribe", [$"bench-{i % groups}", null]);
                }

                lock (_connections)
                {
                    _connections.Add(connection);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (Interlocked.Increment(ref failed) <= 3)
                {
                    await Console.Error.WriteLineAsync($"worker {_args.Int("index", 0)}: connect failed: {ex.GetType().Name}: {ex.Message}");
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(connects);
        Console.WriteLine($"READY {_connections.Count} {failed}");

        var streams = new List<Task>();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            switch (line.Trim())
            {
                case "COUNT":
                    Console.WriteLine($"COUNT {Interlocked.Read(ref _received)}");
                    break;
                case "MARK":
                    var snapshot = _latency.TakeAndReset();
                    var stats = new WorkerStats(Interlocked.Exchange(ref _received, 0), Interlocked.Read(ref _lost), Interlocked.Exchange(ref _errors, 0), snapshot);
                    Console.WriteLine("STATS " + JsonSerializer.Serialize(stats));
                    break;
                case "GO":
                    var request = new GenerationRequest(_args.Get("prompt", "benchmark the hub"), "bench");
                    streams.AddRange(_connections.Select(c => GenerateLoopAsync(new GenerationClient(c), request)));
                    break;
                case "STOP":
                    await _stop.CancelAsync();
                    await Task.WhenAll(streams);
                    await Task.WhenAll(_connections.Select(c => c.DisposeAsync().AsTask()));
                    Console.WriteLine("STOPPED");
                    return 0;
            }
        }

        return 0;
    }

    private void OnUpdate(ProjectUpdate update)
    {
        // Warm-up messages (w=1) prime the JIT and the connections but are not measured.
        if (update.Data.TryGetProperty("w", out var warm) && warm.GetInt32() == 1)
        {
            return;
        }

        var sent = update.Data.GetProperty("t").GetInt64();
        _latency.Record((Stopwatch.GetTimestamp() - sent) * 1_000_000 / Stopwatch.Frequency);
        Interlocked.Increment(ref _received);
    }

    private async Task GenerateLoopAsync(GenerationClient client, GenerationRequest request)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var update in client.Generate(request, _stop.Token))
                {
                    // Server and generator share the machine's clock: the chunk's timestamp is when it was produced.
                    _latency.Record((long)(DateTimeOffset.UtcNow - update.Timestamp).TotalMicroseconds);
                    Interlocked.Increment(ref _received);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _errors);
                await Task.Delay(100);
            }
        }
    }
}
