using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Hubs.Server;
using Hubs.Server.Security;
using Hubs.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using System.Diagnostics.Metrics;

namespace Hubs.Tests.Security;

/// <summary>
/// The real app (HubsApplication.Build) on a loopback port, plus a probe hub and a probe publish endpoint
/// protected exactly as the real ones are (MapSecuredHub, RequirePublisher).
/// </summary>
internal sealed class SecurityTestServer : IAsyncDisposable
{
    public const string PublishPath = "/api/probe/publish";

    /// <summary>A stand-in for the legacy <c>/api/ws/{user_id}</c> endpoint: answers the <see cref="IConnectionAuthorizer"/> verdict as JSON.</summary>
    public const string UserPathProbe = "/ws/probe-user/";

    private SecurityTestServer(WebApplication app, Uri baseAddress, CapturedLogs logs)
    {
        App = app;
        BaseAddress = baseAddress;
        Logs = logs;
        Counters = new CounterRecorder(app.Services.GetRequiredService<IMeterFactory>());
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public CapturedLogs Logs { get; }

    public CounterRecorder Counters { get; }

    public HttpClient Http { get; }

    /// <summary>Production with the test signing key, plus <paramref name="settings"/> (<c>Key=Value</c>).</summary>
    public static Task<SecurityTestServer> StartProductionAsync(params string[] settings) =>
        StartAsync("Production", [TestTokens.KeySetting, .. settings]);

    public static async Task<SecurityTestServer> StartAsync(string environment, params string[] settings)
    {
        var logs = new CapturedLogs();
        string[] args = ["--urls", "http://127.0.0.1:0", "--environment", environment, .. settings.Select(s => "--" + s)];
        var app = HubsApplication.Build(args, builder => builder.Logging.AddProvider(logs));
        app.MapSecuredHub<ProbeHub>(ProbeHub.Path);
        app.MapPost(PublishPath, async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            return Results.Accepted(value: new { length = body.Length });
        }).RequirePublisher();
        app.MapGet(UserPathProbe + "{user_id}", (string user_id, HttpContext context, IConnectionAuthorizer authorizer) =>
            Results.Json(authorizer.Authorize(context, user_id)));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SecurityTestServer(app, new Uri(address), logs);
    }

    public Uri WebSocketUri(string path, string? query = null)
    {
        var builder = new UriBuilder(BaseAddress) { Scheme = "ws", Path = path, Query = query ?? string.Empty };
        return builder.Uri;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Counters.Dispose();
    }
}
