using System.Net;
using System.Net.Sockets;

namespace Hubs.Tests.Faults;

/// <summary>A server that cannot start says why in one line and exits 1, instead of aborting with an unhandled exception.</summary>
public sealed class StartupFailureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PortAlreadyInUse_ExitsWithOne_AndSaysSo()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        await using var server = HubsProcess.Launch(port, "Development");
        await server.WaitForExitAsync(new CancellationTokenSource(Patience).Token);

        server.ExitCode.Should().Be(1, server.Output);
        server.Output.Should().Contain("Hubs.Server did not start: Failed to bind to address").And.Contain("address already in use");
        server.Output.Should().NotContain("Unhandled exception");
    }

    [Fact]
    public async Task ProductionWithoutSigningKey_ExitsWithOne_AndNamesTheSetting()
    {
        await using var server = HubsProcess.Launch(HubsProcess.FreePort(), "Production");
        await server.WaitForExitAsync(new CancellationTokenSource(Patience).Token);

        server.ExitCode.Should().Be(1, server.Output);
        server.Output.Should().Contain("Hubs.Server did not start: Jwt:SigningKey or Jwt:Authority must be set");
        server.Output.Should().NotContain("Unhandled exception");
    }
}
