using Microsoft.Extensions.Options;

namespace Hubs.Server.Scaleout.Redis;

internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ChannelPrefix) || options.ChannelPrefix.Contains(' ', StringComparison.Ordinal))
        {
            failures.Add("Redis:ChannelPrefix must be a non-empty word without spaces.");
        }

        if (options.Enabled)
        {
            try
            {
                StackExchange.Redis.ConfigurationOptions.Parse(options.Configuration!);
            }
            catch (ArgumentException ex)
            {
                failures.Add($"Redis:Configuration is not a valid StackExchange.Redis configuration string: {ex.Message}");
            }
        }

        Positive(options.ConnectTimeout, "Redis:ConnectTimeout");
        Positive(options.OperationTimeout, "Redis:OperationTimeout");
        Positive(options.AckTimeout, "Redis:AckTimeout");
        Positive(options.ProbeInterval, "Redis:ProbeInterval");
        if (options.PresenceTtl < TimeSpan.FromSeconds(3))
        {
            failures.Add($"Redis:PresenceTtl must be at least 3 seconds (was {options.PresenceTtl}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(TimeSpan value, string key)
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromMinutes(5))
            {
                failures.Add($"{key} must be between 0 and 5 minutes (was {value}).");
            }
        }
    }
}
