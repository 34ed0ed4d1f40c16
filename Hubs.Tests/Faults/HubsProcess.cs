using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Hubs.Contracts;
using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Faults;

/// <summary>
/// Hubs.Server as a separate OS process (<c>dotnet Hubs.Server.dll --urls ...</c>), so a test can kill it for real:
/// SIGKILL (<see cref="KillAsync"/>) or SIGTERM (<see cref="TerminateAsync"/>). Output is kept for diagnostics.
/// </summary>
public sealed class HubsProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HubsProcess(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server in Development mode on a free loopback port and waits until /health answers.</summary>
    public static async Task<HubsProcess> StartAsync(params string[] settings)
    {
        var server = Launch(FreePort(), "Development", settings);
        var process = server._process;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Hubs.Server exited with {process.ExitCode} while starting:\n{server.Output}");
            }

            try
            {
                using var response = await server.Http.GetAsync("/health", timeout.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>Starts the server on <paramref name="port"/> without waiting for it; for a start that is meant to fail.</summary>
    public static HubsProcess Launch(int port, string environment, params string[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(ServerDll())!,
        };
        foreach (var argument in new[] { ServerDll(), "--urls", $"http://127.0.0.1:{port}", "--environment", environment, "--Logging:LogLevel:Default=Warning" }
                     .Concat(settings.Select(s => "--" + s)))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var server = new HubsProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>SIGTERM: the graceful shutdown an orchestrator starts.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGKILL: the process dies on the spot, nothing flushed, no goodbyes.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Resident memory of the server process in bytes (VmRSS from /proc/&lt;pid&gt;/status).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("VmRSS not found");
    }

    public Uri WebSocketUri(string path) => new(new Uri(BaseUri.ToString().Replace("http", "ws", StringComparison.Ordinal)), path);

    public async Task<string> PublishIncidentAsync(string eventType, Contracts.Incidents.Incident incident)
    {
        using var response = await Http.PostAsJsonAsync("/api/incidents/events", new { event_type = eventType, incident }, HubsJson.Options);
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<Contracts.Publishing.PublishResult>(HubsJson.Options);
        return result!.MessageId!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    // Built next to the test assembly's configuration: Hubs.Server/bin/<Configuration>/<tfm>/Hubs.Server.dll.
    private static string ServerDll()
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testDirectory.Name;
        var configuration = testDirectory.Parent!.Name;
        var dll = Path.Combine(ExternalTool.RepositoryRoot(), "Hubs.Server", "bin", configuration, tfm, "Hubs.Server.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build Hubs.Server first ({dll} is missing).", dll);
    }

    /// <summary>A loopback port that is free right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
