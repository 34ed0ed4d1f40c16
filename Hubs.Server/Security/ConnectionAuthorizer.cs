using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Hubs.Server.Observability;

namespace Hubs.Server.Security;

internal sealed class ConnectionAuthorizer(IOptions<SecurityOptions> options, HubsMetrics metrics, ILogger<ConnectionAuthorizer> logger) : IConnectionAuthorizer
{
    private readonly bool _allowAnonymous = options.Value.AllowAnonymous;

    public ConnectionAuthorization Authorize(HttpContext context, string? requiredUserId = null)
    {
        var verdict = Evaluate(context, requiredUserId, _allowAnonymous);
        if (!verdict.Allowed)
        {
            metrics.AuthFailure(verdict.FailureReason!);
            SecurityLog.ConnectionRefused(logger, context.Request.Path, verdict.FailureReason!);
        }

        return verdict;
    }

    /// <summary>The rule itself, without side effects (the Connect policy uses it too).</summary>
    public static ConnectionAuthorization Evaluate(HttpContext context, string? requiredUserId, bool allowAnonymous)
    {
        var failure = TokenFailure.Get(context);
        if (failure is not null)
        {
            return IsExpired(failure)
                ? ConnectionAuthorization.Deny(AuthFailureReasons.ExpiredToken, "Token expired")
                : ConnectionAuthorization.Deny(AuthFailureReasons.InvalidToken, "Invalid token");
        }

        if (context.User.Identity?.IsAuthenticated == true)
        {
            var userId = UserIdentity.GetUserId(context.User);
            if (requiredUserId is not null && !string.Equals(userId, requiredUserId, StringComparison.Ordinal))
            {
                return ConnectionAuthorization.Deny(AuthFailureReasons.UserMismatch, "Token user does not match the requested user");
            }

            var expires = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc;
            return ConnectionAuthorization.Allow(userId, expires);
        }

        return allowAnonymous
            ? ConnectionAuthorization.Allow(null, null)
            : ConnectionAuthorization.Deny(AuthFailureReasons.MissingToken, "Token required");
    }

    /// <summary>The <c>reason</c> tag for a failed token validation.</summary>
    public static string FailureReason(Exception? failure) => failure is null
        ? AuthFailureReasons.MissingToken
        : IsExpired(failure) ? AuthFailureReasons.ExpiredToken : AuthFailureReasons.InvalidToken;

    private static bool IsExpired(Exception failure) => failure switch
    {
        SecurityTokenExpiredException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsExpired),
        _ => false,
    };
}
