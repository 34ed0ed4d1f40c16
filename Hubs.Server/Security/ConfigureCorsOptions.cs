using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

/// <summary>
/// The default CORS policy (SignalR negotiate, long polling, the publish API) allows the same origins as the
/// WebSocket origin check, with credentials, so a browser client on an allowed origin can call in with a bearer header.
/// </summary>
internal sealed class ConfigureCorsOptions(OriginPolicy originPolicy) : IConfigureOptions<CorsOptions>
{
    public void Configure(CorsOptions options) => options.AddDefaultPolicy(policy => policy
        .SetIsOriginAllowed(originPolicy.IsAllowedCrossOrigin)
        .AllowAnyHeader()
        .AllowAnyMethod()
        .AllowCredentials()
        .WithExposedHeaders("Retry-After")
        .SetPreflightMaxAge(TimeSpan.FromMinutes(10)));
}
