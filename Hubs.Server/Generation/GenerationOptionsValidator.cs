using Microsoft.Extensions.Options;

namespace Hubs.Server.Generation;

internal sealed class GenerationOptionsValidator : IValidateOptions<GenerationOptions>
{
    public ValidateOptionsResult Validate(string? name, GenerationOptions options)
    {
        var failures = new List<string>();
        if (options.TemplateChunkDelay < TimeSpan.Zero)
        {
            failures.Add("Generation:TemplateChunkDelay must not be negative.");
        }

        if (options.Backend == GenerationBackend.OpenAi)
        {
            if (options.OpenAiBaseUrl is null || !options.OpenAiBaseUrl.IsAbsoluteUri)
            {
                failures.Add("Generation:OpenAiBaseUrl must be an absolute URL when Generation:Backend is OpenAi.");
            }

            if (string.IsNullOrWhiteSpace(options.OpenAiModel))
            {
                failures.Add("Generation:OpenAiModel must be set when Generation:Backend is OpenAi.");
            }
        }

        if (options.OpenAiTimeout <= TimeSpan.Zero)
        {
            failures.Add("Generation:OpenAiTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
