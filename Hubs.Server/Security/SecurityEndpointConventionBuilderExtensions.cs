using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

internal static class SecurityEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Maps a hub the way every Hubs hub is mapped: <see cref="HubsPolicies.Connect"/> (401 without a valid token in
    /// Production) and closed when its token expires.
    /// </summary>
    public static HubEndpointConventionBuilder MapSecuredHub<THub>(this IEndpointRouteBuilder endpoints, string pattern, Action<HttpConnectionDispatcherOptions>? configure = null)
        where THub : Hub
    {
        return endpoints.MapHub<THub>(pattern, options =>
        {
            ConfigureDispatcher(options);
            configure?.Invoke(options);
        }).RequireAuthorization(HubsPolicies.Connect);
    }

    /// <summary>The dispatcher settings every hub needs (for hubs mapped without <see cref="MapSecuredHub{THub}"/>).</summary>
    public static void ConfigureDispatcher(HttpConnectionDispatcherOptions options) => options.CloseOnAuthenticationExpiration = true;

    /// <summary>
    /// Publish API endpoints (or their group): <see cref="HubsPolicies.Publisher"/>, <see cref="HubsPolicies.PublishRateLimit"/>
    /// and a request body limit of <c>Limits:PublishMaxBodyBytes</c> (413 above it).
    /// </summary>
    public static TBuilder RequirePublisher<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.RequireAuthorization(HubsPolicies.Publisher).RequireRateLimiting(HubsPolicies.PublishRateLimit);
        builder.Add(endpoint =>
        {
            var limits = endpoint.ApplicationServices.GetRequiredService<IOptions<LimitsOptions>>().Value;
            endpoint.Metadata.Add(new RequestSizeLimitAttribute(limits.PublishMaxBodyBytes));
        });
        return builder;
    }
}
