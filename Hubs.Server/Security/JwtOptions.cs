namespace Hubs.Server.Security;

/// <summary>
/// JWT bearer validation, bound from the <c>Jwt</c> section (environment: <c>Jwt__SigningKey</c>, ...).
/// Either a symmetric <see cref="SigningKey"/> (HS256, tokens minted by <c>hubs token</c> or a backend that shares
/// the key) or an <see cref="Authority"/> (OIDC metadata and signing keys of a real identity provider), or both.
/// </summary>
internal sealed class JwtOptions
{
    public const string SectionName = "Jwt";

    /// <summary>Used when <see cref="Issuer"/> is not set and tokens are signed with <see cref="SigningKey"/>.</summary>
    public const string DefaultIssuer = "hubs";

    /// <summary>Used when <see cref="Audience"/> is not set.</summary>
    public const string DefaultAudience = "hubs";

    /// <summary>Symmetric HS256 key, at least 32 bytes of UTF-8.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Expected <c>iss</c>. Defaults to <see cref="DefaultIssuer"/> with a signing key, to the authority's metadata issuer without one.</summary>
    public string? Issuer { get; set; }

    /// <summary>Expected <c>aud</c>; defaults to <see cref="DefaultAudience"/>.</summary>
    public string? Audience { get; set; }

    /// <summary>OIDC authority (for example <c>https://login.example.com/realms/hubs</c>); its metadata supplies issuer and signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>Refuses an http (not https) authority unless turned off; only a local test identity provider should need that.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Tolerance for clock differences when checking <c>exp</c> and <c>nbf</c>.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    public string EffectiveAudience => string.IsNullOrWhiteSpace(Audience) ? DefaultAudience : Audience;

    /// <summary>The issuer locally signed tokens carry and must carry.</summary>
    public string EffectiveIssuer => string.IsNullOrWhiteSpace(Issuer) ? DefaultIssuer : Issuer;
}
