using System.Net;
using Hubs.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hubs.Tests.Client;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with the client test hub and the contract recording hubs, configured like
/// the product (JSON protocol with the Hubs conventions). It can be stopped and started again on the same port.
/// </summary>
internal sealed class TestHubServer : IAsyncDisposable
{
    private readonly Action<HubOptions>? _configureHubs;
    private WebApplication? _app;

    private TestHubServer(int port, ServerObservations observations, Action<HubOptions>? configureHubs)
    {
        Port = port;
        Observations = observations;
        _configureHubs = configureHubs;
    }

    public int Port { get; private set; }

    public ServerObservations Observations { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}");

    public Uri TestHubUrl => new(BaseUrl, ClientTestHub.Path);

    public static async Task<TestHubServer> StartAsync(Action<HubOptions>? configureHubs = null)
    {
        var server = new TestHubServer(0, new ServerObservations(), configureHubs);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts a fresh application on the same port (after <see cref="StopAsync"/>).</summary>
    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddSingleton(Observations);
        builder.Services
            .AddSignalR(hub =>
            {
                hub.EnableDetailedErrors = false;
                _configureHubs?.Invoke(hub);
            })
            .AddJsonProtocol(json => HubsJson.Apply(json.PayloadSerializerOptions));

        var app = builder.Build();
        app.MapHub<ClientTestHub>(ClientTestHub.Path);
        app.MapHub<RecordingGenerationHub>(HubRoutes.Generation);
        app.MapHub<RecordingProjectsHub>(HubRoutes.Projects);
        app.MapHub<RecordingIncidentsHub>(HubRoutes.Incidents);
        app.MapHub<RecordingStudyHub>(HubRoutes.Study);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
