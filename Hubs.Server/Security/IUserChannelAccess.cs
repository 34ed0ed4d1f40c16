using System.Security.Claims;

namespace Hubs.Server.Security;

/// <summary>A user sees only its own user channel (<c>/api/ws/{user_id}</c>, user messages).</summary>
internal interface IUserChannelAccess
{
    /// <summary>
    /// True when the token's user (<see cref="UserIdentity.GetUserId"/>) is <paramref name="userId"/>. An anonymous
    /// caller passes only when anonymous access is allowed (Development), taking the user id it asks for.
    /// </summary>
    bool CanAccess(ClaimsPrincipal? user, string userId);
}
