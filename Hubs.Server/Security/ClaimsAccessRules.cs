using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Hubs.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

/// <summary>
/// The claim checks of <see cref="HubsClaims"/> plus the one exception: with anonymous access allowed (Development only),
/// a caller without a token passes every check. A caller with a token is always held to its claims.
/// </summary>
internal sealed class ClaimsAccessRules(IOptions<SecurityOptions> options, ILogger<ClaimsAccessRules> logger)
    : IProjectAccess, IIncidentAccess, IUserChannelAccess
{
    private readonly bool _allowAnonymous = options.Value.AllowAnonymous;

    public bool CanAccess(ClaimsPrincipal? user, string projectId) =>
        IsAnonymousPass(user) || (IsAuthenticated(user) && HubsClaims.CanAccessProject(user, projectId));

    public void Demand(ClaimsPrincipal? user, string projectId)
    {
        if (!CanAccess(user, projectId))
        {
            throw Deny(user, $"no access to project '{Shorten(projectId)}'");
        }
    }

    public bool CanSubscribe(ClaimsPrincipal? user) =>
        IsAnonymousPass(user) || (IsAuthenticated(user) && HubsClaims.CanReadIncidents(user));

    public void Demand(ClaimsPrincipal? user)
    {
        if (!CanSubscribe(user))
        {
            throw Deny(user, $"incident subscriptions need the role '{HubsClaims.IncidentsRole}' or the scope '{HubsClaims.IncidentsScope}'");
        }
    }

    bool IUserChannelAccess.CanAccess(ClaimsPrincipal? user, string userId) =>
        IsAnonymousPass(user) || string.Equals(UserIdentity.GetUserId(user), userId, StringComparison.Ordinal);

    private static bool IsAuthenticated([NotNullWhen(true)] ClaimsPrincipal? user) => user?.Identity?.IsAuthenticated == true;

    private bool IsAnonymousPass(ClaimsPrincipal? user) => _allowAnonymous && !IsAuthenticated(user);

    private HubException Deny(ClaimsPrincipal? user, string what)
    {
        SecurityLog.AccessDenied(logger, UserIdentity.GetUserId(user) ?? "(anonymous)", what);
        return new HubException(HubErrorCodes.Format(HubErrorCodes.Unauthorized, what));
    }

    // Ids come from clients; keep error messages and logs bounded.
    private static string Shorten(string value) => value.Length <= 100 ? value : value[..100] + "…";
}
