using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

/// <summary>Says at start-up how the service is protected, and warns loudly when it is not (anonymous access, development key).</summary>
internal sealed class SecurityStartupReporter(
    IOptions<SecurityOptions> security,
    IOptions<JwtOptions> jwt,
    IHostEnvironment environment,
    OriginPolicy origins,
    ILogger<SecurityStartupReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var jwtValue = jwt.Value;
        var keySource = JwtSigning.GetKeySource(jwtValue, environment);
        if (security.Value.AllowAnonymous)
        {
            SecurityLog.AnonymousAllowed(logger, environment.EnvironmentName);
        }

        if (keySource == JwtSigning.KeySource.Development)
        {
            SecurityLog.DevelopmentKeyInUse(logger);
        }

        var mode = (keySource, string.IsNullOrWhiteSpace(jwtValue.Authority)) switch
        {
            (JwtSigning.KeySource.None, _) => $"authority {jwtValue.Authority}",
            (_, true) => keySource == JwtSigning.KeySource.Development ? "development key" : "symmetric key (Jwt:SigningKey)",
            _ => $"symmetric key (Jwt:SigningKey) and authority {jwtValue.Authority}",
        };
        var issuer = keySource == JwtSigning.KeySource.None && string.IsNullOrWhiteSpace(jwtValue.Issuer) ? "(from authority metadata)" : jwtValue.EffectiveIssuer;
        SecurityLog.JwtConfigured(logger, mode, issuer, jwtValue.EffectiveAudience);

        var allowed = security.Value.AllowedOrigins;
        SecurityLog.OriginsConfigured(logger, origins.AllowsAnyOrigin
            ? "any (" + (allowed.Count == 0 ? "Development with an empty list" : "'*' configured") + ")"
            : allowed.Count == 0 ? "same origin only" : string.Join(", ", allowed) + " and the same origin");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
