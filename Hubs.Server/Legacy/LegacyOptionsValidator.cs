using Microsoft.Extensions.Options;

namespace Hubs.Server.Legacy;

internal sealed class LegacyOptionsValidator : IValidateOptions<LegacyOptions>
{
    public ValidateOptionsResult Validate(string? name, LegacyOptions options)
    {
        var failures = new List<string>();
        if (options.SessionTimeoutSeconds is < 0 or > 86_400)
        {
            failures.Add($"{LegacyOptions.SectionName}:{nameof(LegacyOptions.SessionTimeoutSeconds)} must be between 0 (off) and 86400; got {options.SessionTimeoutSeconds}.");
        }

        if (options.CloseTimeoutSeconds is < 1 or > 300)
        {
            failures.Add($"{LegacyOptions.SectionName}:{nameof(LegacyOptions.CloseTimeoutSeconds)} must be between 1 and 300; got {options.CloseTimeoutSeconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
