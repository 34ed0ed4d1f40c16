using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Observability;

/// <summary>A real nginx (Debian's) on a free loopback port, running deploy/nginx/nginx.conf pointed at two test instances.</summary>
internal sealed class NginxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _prefix;

    private NginxProcess(Process process, string prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        HttpBase = new Uri($"http://127.0.0.1:{port}");
        WebSocketBase = new Uri($"ws://127.0.0.1:{port}");
        Http = new HttpClient { BaseAddress = HttpBase, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri HttpBase { get; }

    public Uri WebSocketBase { get; }

    public HttpClient Http { get; }

    public static async Task<NginxProcess> StartAsync(HubsServer first, HubsServer second)
    {
        var prefix = Path.Combine(Path.GetTempPath(), "hubs-nginx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(prefix);
        var port = FreePort();
        var config = await WriteConfigAsync(prefix, port, first.BaseUri.Port, second.BaseUri.Port);
        var process = Process.Start(new ProcessStartInfo(ExternalTool.Require("nginx"))
        {
            ArgumentList = { "-p", prefix, "-c", config, "-e", "stderr", "-g", $"pid {prefix}/nginx.pid; daemon off;" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var nginx = new NginxProcess(process, prefix, port);
        try
        {
            await nginx.WaitUntilServingAsync();
            return nginx;
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
        }
    }

    /// <summary>The deploy config with the compose service names replaced by loopback ports and temp paths kept in <paramref name="directory"/>.</summary>
    public static async Task<string> WriteConfigAsync(string directory, int listenPort, int firstPort, int secondPort)
    {
        var text = (await File.ReadAllTextAsync(DeployFiles.Path("nginx", "nginx.conf")))
            .Replace("listen 80;", $"listen 127.0.0.1:{listenPort};", StringComparison.Ordinal)
            .Replace("server hubs1:8080", $"server 127.0.0.1:{firstPort}", StringComparison.Ordinal)
            .Replace("server hubs2:8080", $"server 127.0.0.1:{secondPort}", StringComparison.Ordinal);
        text.Should().Contain($"127.0.0.1:{listenPort};").And.Contain($"127.0.0.1:{firstPort}").And.Contain($"127.0.0.1:{secondPort}");
        foreach (var temp in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            Directory.CreateDirectory(Path.Combine(directory, temp));
        }

        // Keep nginx's temporary files inside the test's directory instead of the packaged paths.
        text = text.Replace("http {", $"http {{\n  client_body_temp_path {directory}/client_body;\n  proxy_temp_path {directory}/proxy;\n  fastcgi_temp_path {directory}/fastcgi;\n  uwsgi_temp_path {directory}/uwsgi;\n  scgi_temp_path {directory}/scgi;", StringComparison.Ordinal);
        var path = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_prefix, recursive: true);
    }

    private async Task WaitUntilServingAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("nginx exited: " + await _process.StandardError.ReadToEndAsync());
            }

            try
            {
                using var response = await Http.GetAsync("/health", timeout.Token);
                return;
            }
            catch (HttpRequestException) when (!timeout.IsCancellationRequested)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
