using Hubs.Server.Security;
using Microsoft.IdentityModel.Tokens;

namespace Hubs.Tests.Security;

/// <summary>Tokens for tests, signed like the server expects (or deliberately not).</summary>
internal static class TestTokens
{
    /// <summary>The key test servers run with (<c>--Jwt:SigningKey=</c>).</summary>
    public const string SigningKey = "hubs-tests-signing-key-0123456789-abcdefghij";

    /// <summary>The key as a <c>Key=Value</c> setting for SecurityTestServer.</summary>
    public const string KeySetting = "Jwt:SigningKey=" + SigningKey;

    public static string Create(
        string user,
        string[]? projects = null,
        string[]? roles = null,
        string[]? scopes = null,
        TimeSpan? lifetime = null,
        string key = SigningKey,
        string issuer = JwtOptions.DefaultIssuer,
        string audience = JwtOptions.DefaultAudience,
        DateTimeOffset? now = null)
    {
        var request = new TokenRequest(user)
        {
            Projects = projects ?? [],
            Roles = roles ?? [],
            Scopes = scopes ?? [],
            Lifetime = lifetime ?? TimeSpan.FromHours(1),
        };
        return TokenIssuer.Create(request, JwtSigning.CreateKey(key), issuer, audience, now ?? DateTimeOffset.UtcNow);
    }

    public static string Publisher(string user = "backend") => Create(user, scopes: [HubsClaims.PublishScope]);

    public static string Expired(string user = "alice") =>
        Create(user, lifetime: TimeSpan.FromMinutes(5), now: DateTimeOffset.UtcNow.AddHours(-1));

    public static string WrongSignature(string user = "alice") => Create(user, key: "some-other-key-that-is-long-enough-0123456789");

    public static SecurityKey Key => JwtSigning.CreateKey(SigningKey);
}
