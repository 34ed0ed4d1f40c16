using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Scaleout;

/// <summary>The conformance suite without Redis: one instance plays both A and B.</summary>
public sealed class InMemoryScaleoutTests : ScaleoutConformanceTests
{
    public override async Task DisposeAsync() => await A.DisposeAsync();

    protected override async Task<(HubsServer A, HubsServer B)> StartInstancesAsync()
    {
        var server = await StartInstanceAsync();
        return (server, server);
    }
}
