using System.Security.Claims;
using System.Text.Json;

namespace Hubs.Server.Security;

/// <summary>
/// What the claims of a token grant. Pure functions of the principal; the anonymous-in-Development rule lives in
/// <see cref="ClaimsAccessRules"/>. Claim shapes accepted: repeated claims (a JSON array in the token), a comma list,
/// a JSON array as a string; scopes also space-separated (OAuth 2.0 <c>scope</c>, Azure AD <c>scp</c>).
/// </summary>
internal static class HubsClaims
{
    public const string ProjectsClaim = "projects";
    public const string AllProjects = "*";

    public const string PublisherRole = "publisher";
    public const string IncidentsRole = "incidents";
    public const string AdminRole = "admin";

    public const string PublishScope = "hubs.publish";
    public const string IncidentsScope = "hubs.incidents";
    public const string AdminScope = "hubs.admin";

    private static readonly string[] ScopeClaims = ["scope", "scp"];
    private static readonly string[] RoleClaims = ["role", "roles", ClaimTypes.Role];

    public static bool HasScope(ClaimsPrincipal user, string scope) =>
        Values(user, ScopeClaims, ' ', ',').Contains(scope, StringComparer.Ordinal);

    public static bool HasRole(ClaimsPrincipal user, string role) =>
        Values(user, RoleClaims, ',').Contains(role, StringComparer.OrdinalIgnoreCase);

    /// <summary>Role <c>admin</c> or scope <c>hubs.admin</c>: every project, publishing, incidents.</summary>
    public static bool IsAdmin(ClaimsPrincipal user) => HasRole(user, AdminRole) || HasScope(user, AdminScope);

    public static bool IsPublisher(ClaimsPrincipal user) => HasScope(user, PublishScope) || HasRole(user, PublisherRole) || IsAdmin(user);

    public static bool CanReadIncidents(ClaimsPrincipal user) => HasScope(user, IncidentsScope) || HasRole(user, IncidentsRole) || IsAdmin(user);

    public static bool CanAccessProject(ClaimsPrincipal user, string projectId)
    {
        if (IsAdmin(user))
        {
            return true;
        }

        foreach (var granted in Values(user, [ProjectsClaim], ','))
        {
            if (granted == AllProjects || string.Equals(granted, projectId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The project ids granted (may contain <see cref="AllProjects"/>).</summary>
    public static IReadOnlyList<string> GetProjects(ClaimsPrincipal user) => [.. Values(user, [ProjectsClaim], ',').Distinct(StringComparer.Ordinal)];

    private static IEnumerable<string> Values(ClaimsPrincipal user, string[] claimTypes, params char[] separators)
    {
        foreach (var type in claimTypes)
        {
            foreach (var claim in user.FindAll(type))
            {
                foreach (var value in Split(claim.Value, separators))
                {
                    yield return value;
                }
            }
        }
    }

    private static IEnumerable<string> Split(string value, char[] separators)
    {
        var trimmed = value.Trim();
        if (trimmed.StartsWith('[') && TryParseJsonArray(trimmed, out var items))
        {
            return items;
        }

        return trimmed.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static bool TryParseJsonArray(string json, out List<string> items)
    {
        items = [];
        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } item)
                {
                    items.Add(item.Trim());
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
