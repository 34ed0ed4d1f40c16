using Microsoft.Extensions.Options;

namespace Hubs.Server.Scaleout;

internal sealed class HistoryOptionsValidator : IValidateOptions<HistoryOptions>
{
    public ValidateOptionsResult Validate(string? name, HistoryOptions options)
    {
        var failures = new List<string>();
        Positive(options.MaxIncidentEvents, "History:MaxIncidentEvents");
        Positive(options.MaxProjectUpdates, "History:MaxProjectUpdates");
        Positive(options.MaxAgentQueueLength, "History:MaxAgentQueueLength");
        Positive(options.ReplayPageSize, "History:ReplayPageSize");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(int value, string key)
        {
            if (value < 1)
            {
                failures.Add($"{key} must be at least 1 (was {value}).");
            }
        }
    }
}
