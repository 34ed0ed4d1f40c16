using System.Net.Sockets;
using System.Text;

namespace Hubs.Tests.Security;

/// <summary>Kestrel limits against slow or bloated requests, seen from a raw TCP client.</summary>
public sealed class KestrelLimitsTests
{
    // Shorter than Kestrel's own 30 s default header timeout, so only the configured limit can end the read in time.
    private static async Task<string> ReadUntilClosedAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // A reset is also the server ending the connection.
        }

        return received.ToString();
    }

    [Fact]
    public async Task Headers_NeverFinished_ServerDropsTheConnection()
    {
        await using var server = await SecurityTestServer.StartProductionAsync("Limits:RequestHeadersTimeoutSeconds=1");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = tcp.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /hubs/projects HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));
        var response = await ReadUntilClosedAsync(stream);

        response.Should().NotContain("101", "the request never completed, so nothing was upgraded");
        tcp.Client.Poll(0, SelectMode.SelectRead).Should().BeTrue("the server closed the connection");
    }

    [Fact]
    public async Task Headers_OverMaxRequestHeadersTotalBytes_431()
    {
        await using var server = await SecurityTestServer.StartProductionAsync("Limits:MaxRequestHeadersTotalBytes=8192");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = tcp.GetStream();

        var header = "X-Big: " + new string('a', 10 * 1024) + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /health HTTP/1.1\r\nHost: localhost\r\n" + header + "\r\n"));
        var response = await ReadUntilClosedAsync(stream);

        response.Should().StartWith("HTTP/1.1 431");
    }
}
