using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var failures = new List<string>();
        Check(failures, nameof(LimitsOptions.MaxMessageBytes), options.MaxMessageBytes, 1024, 16 * 1024 * 1024);
        Check(failures, nameof(LimitsOptions.MessagesPerMinutePerUser), options.MessagesPerMinutePerUser, 0, 1_000_000);
        Check(failures, nameof(LimitsOptions.MaxConnectionsPerUser), options.MaxConnectionsPerUser, 0, 100_000);
        Check(failures, nameof(LimitsOptions.MaxSubscriptionsPerConnection), options.MaxSubscriptionsPerConnection, 1, 100_000);
        Check(failures, nameof(LimitsOptions.PublishMaxBodyBytes), options.PublishMaxBodyBytes, 1024, 64L * 1024 * 1024);
        Check(failures, nameof(LimitsOptions.PublishRequestsPerMinute), options.PublishRequestsPerMinute, 0, 10_000_000);
        Check(failures, nameof(LimitsOptions.HandshakeTimeoutSeconds), options.HandshakeTimeoutSeconds, 1, 300);
        Check(failures, nameof(LimitsOptions.RequestHeadersTimeoutSeconds), options.RequestHeadersTimeoutSeconds, 1, 300);
        Check(failures, nameof(LimitsOptions.MaxRequestHeadersTotalBytes), options.MaxRequestHeadersTotalBytes, 4096, 1024 * 1024);
        Check(failures, nameof(LimitsOptions.MinRequestBodyBytesPerSecond), options.MinRequestBodyBytesPerSecond, 0, 1024 * 1024);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string key, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{LimitsOptions.SectionName}:{key} must be between {min} and {max}; got {value}.");
        }
    }
}
