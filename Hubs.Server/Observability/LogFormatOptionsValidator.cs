using Microsoft.Extensions.Options;

namespace Hubs.Server.Observability;

internal sealed class LogFormatOptionsValidator : IValidateOptions<LogFormatOptions>
{
    public ValidateOptionsResult Validate(string? name, LogFormatOptions options) =>
        options.Format is null or LogFormatOptions.Json or LogFormatOptions.Simple
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{LogFormatOptions.SectionName}:{nameof(options.Format)} must be '{LogFormatOptions.Json}' or '{LogFormatOptions.Simple}' (was '{options.Format}').");
}
