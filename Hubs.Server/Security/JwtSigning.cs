using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Hubs.Server.Security;

/// <summary>Decides which key signs and validates locally issued tokens. The server and the <c>token</c> command share it so they always agree.</summary>
internal static class JwtSigning
{
    /// <summary>
    /// The development-only key: public (it is in the docs), so it is used only when the environment is Development
    /// and neither <c>Jwt:SigningKey</c> nor <c>Jwt:Authority</c> is configured; the validator refuses it anywhere else.
    /// </summary>
    public const string DevelopmentSigningKey = "hubs-development-signing-key-DO-NOT-USE-IN-PRODUCTION";

    /// <summary>HS256 needs at least 256 bits of key.</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>Where the symmetric key came from.</summary>
    public enum KeySource
    {
        None = 0,
        Configured = 1,
        Development = 2,
    }

    public static KeySource GetKeySource(JwtOptions options, IHostEnvironment environment)
    {
        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            return KeySource.Configured;
        }

        return environment.IsDevelopment() && string.IsNullOrWhiteSpace(options.Authority) ? KeySource.Development : KeySource.None;
    }

    /// <summary>The symmetric key, or null when only an authority validates tokens.</summary>
    public static SymmetricSecurityKey? GetSigningKey(JwtOptions options, IHostEnvironment environment) => GetKeySource(options, environment) switch
    {
        KeySource.Configured => CreateKey(options.SigningKey!),
        KeySource.Development => CreateKey(DevelopmentSigningKey),
        _ => null,
    };

    public static SymmetricSecurityKey CreateKey(string key) => new(Encoding.UTF8.GetBytes(key)) { KeyId = "hubs" };
}
