using Hubs.Server.Scaleout;
using Hubs.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hubs.Tests.Resume;

/// <summary>
/// Two in-process instances of the service joined by one shared in-memory event log: the in-memory stand-in for
/// a Redis backplane (one retained history, one broadcast to both), so a client can fail over and resume.
/// </summary>
public sealed class TwinServers : IAsyncDisposable
{
    private readonly InMemoryEventLog _log;

    private TwinServers(InMemoryEventLog log, HubsServer a, HubsServer b)
    {
        _log = log;
        A = a;
        B = b;
    }

    private bool _aStopped;

    public HubsServer A { get; }

    public HubsServer B { get; }

    public static async Task<TwinServers> StartAsync(params string[] settings)
    {
        var log = new InMemoryEventLog(TimeProvider.System, NullLogger<InMemoryEventLog>.Instance);
        var a = await HubsServer.StartAsync(0, b => Share(b, log), settings);
        var b = await HubsServer.StartAsync(0, b => Share(b, log), settings);
        return new TwinServers(log, a, b);
    }

    /// <summary>Stops instance A (its connections close; clients reconnect to B).</summary>
    public async Task StopAAsync()
    {
        _aStopped = true;
        await A.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_aStopped)
        {
            await A.DisposeAsync();
        }

        await B.DisposeAsync();
        await _log.DisposeAsync();
    }

    // The service registers its own log after the test's configure hook runs, so the shared one is put in
    // place when the container is built, after every registration.
    private static void Share(WebApplicationBuilder builder, InMemoryEventLog log) =>
        builder.Host.UseServiceProviderFactory(new OverridingFactory(services =>
        {
            services.AddSingleton(log);
            services.AddSingleton<IEventLog>(log);
        }));

    private sealed class OverridingFactory(Action<IServiceCollection> overrides) : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services)
        {
            overrides(services);
            return services;
        }

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) =>
            containerBuilder.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = false });
    }
}
