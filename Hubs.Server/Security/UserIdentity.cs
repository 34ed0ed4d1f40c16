using System.Security.Claims;

namespace Hubs.Server.Security;

/// <summary>The one rule for "which user is this": <c>sub</c>, then <c>nameidentifier</c>, then <c>user_id</c> (seed 001 tokens).</summary>
internal static class UserIdentity
{
    public const string SubjectClaim = "sub";
    public const string UserIdClaim = "user_id";

    /// <summary>The user id of an authenticated principal, or null (anonymous, or a token without any of the id claims).</summary>
    public static string? GetUserId(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        return FirstValue(user, SubjectClaim) ?? FirstValue(user, ClaimTypes.NameIdentifier) ?? FirstValue(user, UserIdClaim);
    }

    private static string? FirstValue(ClaimsPrincipal user, string type)
    {
        foreach (var claim in user.FindAll(type))
        {
            if (!string.IsNullOrWhiteSpace(claim.Value))
            {
                return claim.Value;
            }
        }

        return null;
    }
}
