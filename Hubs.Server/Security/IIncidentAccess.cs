using System.Security.Claims;

namespace Hubs.Server.Security;

/// <summary>Who may subscribe to incident events: role <c>incidents</c>, scope <c>hubs.incidents</c>, or an admin.</summary>
internal interface IIncidentAccess
{
    /// <summary>True when <paramref name="user"/> may subscribe. Anonymous callers pass only when anonymous access is allowed (Development).</summary>
    bool CanSubscribe(ClaimsPrincipal? user);

    /// <summary>Throws an <c>UNAUTHORIZED</c> <see cref="Microsoft.AspNetCore.SignalR.HubException"/> when <see cref="CanSubscribe"/> is false.</summary>
    void Demand(ClaimsPrincipal? user);
}
