using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Hubs.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> on a free 127.0.0.1 port, without persistence, for one test class or collection
/// (<c>IClassFixture&lt;RedisServerFixture&gt;</c> or a collection fixture). <see cref="StopAsync"/> and
/// <see cref="RestartAsync"/> simulate an outage: the server comes back on the same port, empty.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly object _gate = new();
    private readonly StringBuilder _output = new();
    private Process? _process;

    public RedisServerFixture()
    {
        Port = FreePort();
    }

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server (also what <c>Redis:Configuration</c> takes).</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false };
            }
        }
    }

    /// <summary>What the server printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public Task InitializeAsync() => StartAsync();

    public async Task StartAsync()
    {
        lock (_gate)
        {
            if (_process is { HasExited: false })
            {
                return;
            }
        }

        var info = new ProcessStartInfo(ExternalTool.Require("redis-server"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", string.Empty,
            "--appendonly", "no",
            "--protected-mode", "no",
            "--daemonize", "no",
            "--loglevel", "warning",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var started = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        started.OutputDataReceived += (_, e) => Append(e.Data);
        started.ErrorDataReceived += (_, e) => Append(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        lock (_gate)
        {
            _process = started;
        }

        await WaitUntilReadyAsync(started);
    }

    /// <summary>Kills the server (an outage as clients see it: connections drop, nothing is saved).</summary>
    public async Task StopAsync()
    {
        Process? running;
        lock (_gate)
        {
            running = _process;
            _process = null;
        }

        if (running is null)
        {
            return;
        }

        try
        {
            if (!running.HasExited)
            {
                running.Kill(entireProcessTree: true);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await running.WaitForExitAsync(cts.Token);
        }
        finally
        {
            running.Dispose();
        }
    }

    /// <summary>Stops the server and starts a new, empty one on the same port.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>Sends one command over RESP and returns the raw reply (e.g. "+PONG", ":3"); for assertions on server state.</summary>
    public async Task<string> CommandAsync(params string[] arguments)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(IPAddress.Loopback, Port, cts.Token);
        var stream = client.GetStream();
        var request = new StringBuilder().Append('*').Append(arguments.Length).Append("\r\n");
        foreach (var argument in arguments)
        {
            request.Append('$').Append(Encoding.UTF8.GetByteCount(argument)).Append("\r\n").Append(argument).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), cts.Token);
        var buffer = new byte[64 * 1024];
        var read = await stream.ReadAsync(buffer, cts.Token);
        return Encoding.UTF8.GetString(buffer, 0, read).TrimEnd('\r', '\n');
    }

    Task IAsyncLifetime.DisposeAsync() => StopAsync();

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task WaitUntilReadyAsync(Process started)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (started.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {started.ExitCode}:\n{Output}");
            }

            try
            {
                if (await CommandAsync("PING") == "+PONG")
                {
                    return;
                }
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"redis-server on port {Port} did not answer PING within {StartTimeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>
    /// A free port below the kernel's ephemeral range (32768+), which Kestrel's port 0 and every outgoing connection
    /// draw from: while a test has Redis stopped, nothing else can take its port, so the restart gets it back.
    /// </summary>
    private static int FreePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No free port between 20000 and 32000 for redis-server.");
    }
}
