using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

/// <summary>Defensive SignalR settings for every hub, and the security hub filters.</summary>
internal sealed class ConfigureHubOptions(IOptions<LimitsOptions> limits) : IConfigureOptions<HubOptions>
{
    public void Configure(HubOptions options)
    {
        var value = limits.Value;
        options.MaximumReceiveMessageSize = value.MaxMessageBytes;
        // One invocation at a time per connection: a client cannot pile up concurrent work on the server.
        options.MaximumParallelInvocationsPerClient = 1;
        options.HandshakeTimeout = TimeSpan.FromSeconds(value.HandshakeTimeoutSeconds);

        // Order matters: the connection limit refuses first; the rate limit then sees only admitted connections' calls.
        options.AddFilter<ConnectionLimitHubFilter>();
        options.AddFilter<RateLimitHubFilter>();
    }
}
