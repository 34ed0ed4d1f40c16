using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

/// <summary>
/// A caller with a valid token is held to its claims. A caller without one passes only when anonymous access is
/// allowed, and a caller whose token failed validation never passes, so a typo in a token is a 401 even in Development.
/// Failing unauthenticated callers get a challenge (401), failing authenticated ones a 403.
/// </summary>
internal sealed class HubsAccessHandler(IOptions<SecurityOptions> options) : AuthorizationHandler<HubsAccessRequirement>
{
    private readonly bool _allowAnonymous = options.Value.AllowAnonymous;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, HubsAccessRequirement requirement)
    {
        if (IsAllowed(context.User, context.Resource, requirement.Access))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    private bool IsAllowed(ClaimsPrincipal user, object? resource, HubsAccessRequirement.Kind access)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            var tokenFailed = resource is HttpContext http
                && !ConnectionAuthorizer.Evaluate(http, requiredUserId: null, allowAnonymous: true).Allowed;
            return _allowAnonymous && !tokenFailed;
        }

        return access switch
        {
            HubsAccessRequirement.Kind.Connect => true,
            HubsAccessRequirement.Kind.Publisher => HubsClaims.IsPublisher(user),
            HubsAccessRequirement.Kind.Incidents => HubsClaims.CanReadIncidents(user),
            _ => false,
        };
    }
}
