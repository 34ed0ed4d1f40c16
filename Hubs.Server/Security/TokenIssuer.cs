using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Hubs.Server.Security;

/// <summary>
/// Mints HS256 tokens in the shape Hubs validates: <c>sub</c>, <c>projects</c> (JSON array), <c>role</c> (JSON array),
/// <c>scope</c> (space-separated), <c>iss</c>, <c>aud</c>, <c>iat</c>/<c>nbf</c>/<c>exp</c>. Used by the <c>token</c> command and by tests.
/// </summary>
internal static class TokenIssuer
{
    public static string Create(TokenRequest request, SecurityKey key, string issuer, string audience, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.UserId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Lifetime, TimeSpan.Zero);

        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [UserIdentity.SubjectClaim] = request.UserId,
        };
        if (request.Name is { Length: > 0 } name)
        {
            claims["name"] = name;
        }

        if (request.Projects.Count > 0)
        {
            claims[HubsClaims.ProjectsClaim] = request.Projects.ToArray();
        }

        if (request.Roles.Count > 0)
        {
            claims["role"] = request.Roles.ToArray();
        }

        if (request.Scopes.Count > 0)
        {
            claims["scope"] = string.Join(' ', request.Scopes);
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + request.Lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
