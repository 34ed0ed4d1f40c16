using System.Text;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

/// <summary>Fails start-up on a JWT configuration that would either not work or not be safe, naming the key.</summary>
internal sealed class JwtOptionsValidator(IHostEnvironment environment) : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        var failures = new List<string>();
        var hasKey = !string.IsNullOrEmpty(options.SigningKey);
        var hasAuthority = !string.IsNullOrWhiteSpace(options.Authority);

        if (!hasKey && !hasAuthority && !environment.IsDevelopment())
        {
            failures.Add($"Jwt:SigningKey or Jwt:Authority must be set in {environment.EnvironmentName} "
                + "(environment variables Jwt__SigningKey or Jwt__Authority). Only Development runs without, on the built-in development key.");
        }

        if (hasKey)
        {
            var bytes = Encoding.UTF8.GetByteCount(options.SigningKey!);
            if (bytes < JwtSigning.MinimumKeyBytes)
            {
                failures.Add($"Jwt:SigningKey must be at least {JwtSigning.MinimumKeyBytes} bytes (256 bits) of UTF-8; it has {bytes}.");
            }

            if (!environment.IsDevelopment() && string.Equals(options.SigningKey, JwtSigning.DevelopmentSigningKey, StringComparison.Ordinal))
            {
                failures.Add($"Jwt:SigningKey is the published development key; it must not be used in {environment.EnvironmentName}.");
            }
        }

        if (hasAuthority)
        {
            if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority)
                || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"Jwt:Authority must be an absolute http(s) URL; got '{options.Authority}'.");
            }
            else if (authority.Scheme == Uri.UriSchemeHttp && options.RequireHttpsMetadata)
            {
                failures.Add("Jwt:Authority is http, not https; set Jwt:RequireHttpsMetadata=false only for a local test identity provider.");
            }
        }

        if (options.ClockSkewSeconds is < 0 or > 300)
        {
            failures.Add($"Jwt:ClockSkewSeconds must be between 0 and 300; got {options.ClockSkewSeconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
