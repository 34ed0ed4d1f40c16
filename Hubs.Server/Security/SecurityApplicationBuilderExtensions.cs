namespace Hubs.Server.Security;

internal static class SecurityApplicationBuilderExtensions
{
    /// <summary>
    /// Origin check (403 before anything else on connection paths), CORS, authentication, authorization, rate limiting.
    /// Call right after <c>builder.Build()</c>, before any WebSocket or endpoint middleware.
    /// </summary>
    public static IApplicationBuilder UseHubsSecurity(this IApplicationBuilder app)
    {
        app.UseMiddleware<OriginCheckMiddleware>();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }
}
