using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        if (options.AllowAnonymous && !options.IsDevelopment)
        {
            failures.Add($"{SecurityOptions.AllowAnonymousKey} can only be true in Development; the environment is {options.EnvironmentName}.");
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (origin != "*" && OriginPolicy.Normalize(origin) is null)
            {
                failures.Add($"{SecurityOptions.CorsOriginsKey} / {SecurityOptions.AllowedOriginsKey}: '{origin}' is not an origin like https://app.example.com (scheme, host, optional port, nothing else).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
