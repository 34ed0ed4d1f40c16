using Hubs.Server.Schema;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Net.Http.Headers;

namespace Hubs.Server.Web;

/// <summary>
/// The browser face: the dashboard page and its assets from wwwroot (<c>/</c>), live counters (<c>GET /api/stats</c>)
/// and the AsyncAPI description of every hub and legacy protocol (<c>GET /asyncapi.json</c>).
/// </summary>
internal static class WebExtensions
{
    // The page runs only its own scripts and talks only to its own origin (fetch, and WebSockets to the hubs).
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; "
        + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IServiceCollection AddHubsWeb(this IServiceCollection services)
    {
        services.AddSingleton<ServiceStats>();
        services.AddSingleton<StatsHubFilter>();
        services.Configure<HubOptions>(o => o.AddFilter<StatsHubFilter>());
        return services;
    }

    public static WebApplication UseHubsWeb(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";

                // Pages and generated modules change with every deployment; revalidating keeps instances behind a proxy consistent.
                headers[HeaderNames.CacheControl] = "no-cache";
                if (context.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
                {
                    headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                    headers[HeaderNames.XFrameOptions] = "DENY";
                }
            },
        });

        app.MapGet("/api/stats", (ServiceStats stats) => Results.Ok(stats.Snapshot())).AllowAnonymous();

        // Built once from the contracts on first request; the contracts cannot change while the process runs.
        var asyncApi = new Lazy<byte[]>(() => AsyncApiDocument.Serialize(AsyncApiDocument.Build(ContractCatalog.Load())));
        app.MapGet("/asyncapi.json", () => Results.Bytes(asyncApi.Value, "application/json")).AllowAnonymous();
        return app;
    }
}
