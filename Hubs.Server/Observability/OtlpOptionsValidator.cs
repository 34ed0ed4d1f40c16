using Microsoft.Extensions.Options;

namespace Hubs.Server.Observability;

internal sealed class OtlpOptionsValidator : IValidateOptions<OtlpOptions>
{
    public ValidateOptionsResult Validate(string? name, OtlpOptions options)
    {
        if (options.Endpoint is null)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!options.Endpoint.IsAbsoluteUri || (options.Endpoint.Scheme != Uri.UriSchemeHttp && options.Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{OtlpOptions.SectionName}:{nameof(options.Endpoint)} must be an absolute http or https address (was '{options.Endpoint}').");
        }

        if (options.Protocol is not (OtlpOptions.Grpc or OtlpOptions.HttpProtobuf))
        {
            failures.Add($"{OtlpOptions.SectionName}:{nameof(options.Protocol)} must be '{OtlpOptions.Grpc}' or '{OtlpOptions.HttpProtobuf}' (was '{options.Protocol}').");
        }

        if (options.ExportIntervalMilliseconds < 100)
        {
            failures.Add($"{OtlpOptions.SectionName}:{nameof(options.ExportIntervalMilliseconds)} must be at least 100 (was {options.ExportIntervalMilliseconds}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
