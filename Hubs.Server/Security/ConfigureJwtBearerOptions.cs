using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Hubs.Server.Observability;

namespace Hubs.Server.Security;

/// <summary>Turns <see cref="JwtOptions"/> into the bearer handler's settings and hooks the token sources and failure counting.</summary>
internal sealed class ConfigureJwtBearerOptions(
    IOptions<JwtOptions> jwtOptions,
    IHostEnvironment environment,
    HubsMetrics metrics,
    ILogger<ConfigureJwtBearerOptions> logger) : IConfigureNamedOptions<JwtBearerOptions>
{
    /// <summary>SignalR's query parameter for WebSockets and server-sent events (browsers cannot set headers there).</summary>
    public const string AccessTokenParameter = "access_token";

    /// <summary>Seed 001's query parameter (<c>/api/ws/{user_id}?token=</c>).</summary>
    public const string TokenParameter = "token";

    public void Configure(JwtBearerOptions options) => Configure(JwtBearerDefaults.AuthenticationScheme, options);

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }

        var jwt = jwtOptions.Value;
        var signingKey = JwtSigning.GetSigningKey(jwt, environment);
        var hasAuthority = !string.IsNullOrWhiteSpace(jwt.Authority);

        // Claims keep their token names (sub, role, scope, projects) instead of being renamed to WS-* URIs.
        options.MapInboundClaims = false;
        options.SaveToken = false;
        options.IncludeErrorDetails = true;
        if (hasAuthority)
        {
            options.Authority = jwt.Authority;
            options.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        }

        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            // With an authority and no Jwt:Issuer, the handler adds the issuer from the authority's metadata.
            ValidIssuer = signingKey is not null || !string.IsNullOrWhiteSpace(jwt.Issuer) ? jwt.EffectiveIssuer : null,
            ValidateAudience = true,
            ValidAudience = jwt.EffectiveAudience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKey = signingKey,
            ClockSkew = TimeSpan.FromSeconds(jwt.ClockSkewSeconds),
            NameClaimType = UserIdentity.SubjectClaim,
            RoleClaimType = "role",
        };

        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = ReadQueryToken,
            OnTokenValidated = context =>
            {
                // A connection is closed when its token would no longer be accepted (exp + skew), not earlier, or a
                // client could reconnect with the same token for the length of the skew and be closed again at once.
                if (context.Properties.ExpiresUtc is { } expires)
                {
                    context.Properties.ExpiresUtc = expires + TimeSpan.FromSeconds(jwt.ClockSkewSeconds);
                }

                return Task.CompletedTask;
            },
            OnAuthenticationFailed = context =>
            {
                TokenFailure.Set(context.HttpContext, context.Exception);
                SecurityLog.TokenRejected(logger, context.Request.Path, context.Exception.Message);
                return Task.CompletedTask;
            },
            OnChallenge = context =>
            {
                if (ConnectionPaths.IsConnectionPath(context.Request.Path))
                {
                    var reason = ConnectionAuthorizer.FailureReason(context.AuthenticateFailure);
                    metrics.AuthFailure(reason);
                    SecurityLog.ConnectionRefused(logger, context.Request.Path, reason);
                }

                return Task.CompletedTask;
            },
        };
    }

    /// <summary>
    /// Query tokens are read only on connection paths: there browsers have no other way, elsewhere (the publish API)
    /// a token in a URL would only end up in logs.
    /// </summary>
    private static Task ReadQueryToken(MessageReceivedContext context)
    {
        var request = context.Request;
        if (string.IsNullOrEmpty(context.Token)
            && !request.Headers.Authorization.Any(v => !string.IsNullOrEmpty(v))
            && ConnectionPaths.IsConnectionPath(request.Path))
        {
            var token = request.Query[AccessTokenParameter].ToString();
            if (string.IsNullOrEmpty(token))
            {
                token = request.Query[TokenParameter].ToString();
            }

            if (!string.IsNullOrEmpty(token))
            {
                context.Token = token;
            }
        }

        return Task.CompletedTask;
    }
}
