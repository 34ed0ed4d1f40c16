using System.Security.Claims;

namespace Hubs.Server.Security;

/// <summary>Which projects a caller may subscribe to or forward to: the <c>projects</c> claim (ids, or <c>*</c>), or an admin.</summary>
internal interface IProjectAccess
{
    /// <summary>True when <paramref name="user"/> may see <paramref name="projectId"/>. Anonymous callers pass only when anonymous access is allowed (Development).</summary>
    bool CanAccess(ClaimsPrincipal? user, string projectId);

    /// <summary>Throws an <c>UNAUTHORIZED</c> <see cref="Microsoft.AspNetCore.SignalR.HubException"/> when <see cref="CanAccess"/> is false. The connection stays up.</summary>
    void Demand(ClaimsPrincipal? user, string projectId);
}
