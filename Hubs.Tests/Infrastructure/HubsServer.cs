using System.Net.Http.Json;
using Hubs.Contracts;
using Hubs.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Hubs.Tests.Infrastructure;

/// <summary>
/// The real service on Kestrel at a free loopback port, built exactly as Program.cs builds it.
/// Settings are passed as command-line style "Key=Value" pairs.
/// </summary>
public sealed class HubsServer : IAsyncDisposable
{
    private HubsServer(WebApplication app, Uri baseUri)
    {
        App = app;
        BaseUri = baseUri;
        Http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Starts a Development-mode server (anonymous allowed, fast template generation) with extra settings.</summary>
    public static Task<HubsServer> StartAsync(params string[] settings) => StartAsync(port: 0, settings);

    public static Task<HubsServer> StartAsync(int port, params string[] settings) => StartAsync(port, configure: null, settings);

    /// <summary>Starts a server whose services <paramref name="configure"/> may adjust (options no setting reaches).</summary>
    public static Task<HubsServer> StartAsync(int port, Action<WebApplicationBuilder>? configure, params string[] settings)
        => StartAsync(port, configure, configureApp: null, settings);

    /// <summary>Starts a server with <paramref name="configureApp"/> run before start (e.g. to map a test hub).</summary>
    public static Task<HubsServer> StartAsync(int port, Action<WebApplication>? configureApp, params string[] settings)
        => StartAsync(port, configure: null, configureApp, settings);

    private static async Task<HubsServer> StartAsync(int port, Action<WebApplicationBuilder>? configure, Action<WebApplication>? configureApp, string[] settings)
    {
        var args = new List<string>
        {
            "--urls", $"http://127.0.0.1:{port}",
            "--environment", "Development",
            "--Logging:LogLevel:Default=Warning",
            "--Generation:TemplateChunkDelay=00:00:00.001",

            // The dashboard's files, as `dotnet run` serves them (the test host's own folder has no wwwroot).
            "--webroot", Path.Combine(ExternalTool.RepositoryRoot(), "Hubs.Server", "wwwroot"),
        };
        args.AddRange(settings.Select(s => "--" + s));
        var app = HubsApplication.Build([.. args], configure);
        configureApp?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HubsServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public Uri WebSocketUri(string path) => new(new Uri(BaseUri.ToString().Replace("http", "ws", StringComparison.Ordinal)), path);

    public async Task<string> PublishIncidentAsync(string eventType, Contracts.Incidents.Incident incident)
    {
        using var response = await Http.PostAsJsonAsync("/api/incidents/events", new { event_type = eventType, incident }, HubsJson.Options);
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<Contracts.Publishing.PublishResult>(HubsJson.Options);
        return result!.MessageId!;
    }

    public async Task<string> PublishProjectUpdateAsync(string projectId, object data, string? type = null)
    {
        using var response = await Http.PostAsJsonAsync($"/api/projects/{Uri.EscapeDataString(projectId)}/updates", new { type, data }, HubsJson.Options);
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<Contracts.Publishing.PublishResult>(HubsJson.Options);
        return result!.MessageId!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
    }
}
