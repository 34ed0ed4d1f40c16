using Microsoft.Extensions.Options;

namespace Hubs.Server.Observability;

internal sealed class ObservabilityOptionsValidator : IValidateOptions<ObservabilityOptions>
{
    public ValidateOptionsResult Validate(string? name, ObservabilityOptions options)
    {
        var failures = new List<string>();
        if (options.MaxSeriesPerInstrument < 1)
        {
            failures.Add($"{ObservabilityOptions.SectionName}:{nameof(options.MaxSeriesPerInstrument)} must be at least 1 (was {options.MaxSeriesPerInstrument}).");
        }

        if (options.MaxProjectLabels < 1)
        {
            failures.Add($"{ObservabilityOptions.SectionName}:{nameof(options.MaxProjectLabels)} must be at least 1 (was {options.MaxProjectLabels}).");
        }

        if (options.MaxLabelValues < 1)
        {
            failures.Add($"{ObservabilityOptions.SectionName}:{nameof(options.MaxLabelValues)} must be at least 1 (was {options.MaxLabelValues}).");
        }

        foreach (var meter in options.AdditionalMeters)
        {
            if (string.IsNullOrWhiteSpace(meter))
            {
                failures.Add($"{ObservabilityOptions.SectionName}:{nameof(options.AdditionalMeters)} must not contain empty meter names.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
