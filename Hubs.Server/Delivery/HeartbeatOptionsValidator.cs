using Microsoft.Extensions.Options;

namespace Hubs.Server.Delivery;

internal sealed class HeartbeatOptionsValidator : IValidateOptions<HeartbeatOptions>
{
    public ValidateOptionsResult Validate(string? name, HeartbeatOptions options)
    {
        if (options.KeepAliveInterval <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Heartbeat:KeepAliveInterval must be positive.");
        }

        // A timeout shorter than the keep-alive would drop healthy idle connections between two pings.
        return options.ClientTimeout <= options.KeepAliveInterval
            ? ValidateOptionsResult.Fail("Heartbeat:ClientTimeout must be longer than Heartbeat:KeepAliveInterval.")
            : ValidateOptionsResult.Success;
    }
}
