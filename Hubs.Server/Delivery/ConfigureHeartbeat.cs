using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Delivery;

/// <summary>Applies <see cref="HeartbeatOptions"/> to every hub.</summary>
internal sealed class ConfigureHeartbeat(IOptions<HeartbeatOptions> heartbeat) : IConfigureOptions<HubOptions>
{
    public void Configure(HubOptions options)
    {
        options.KeepAliveInterval = heartbeat.Value.KeepAliveInterval;
        options.ClientTimeoutInterval = heartbeat.Value.ClientTimeout;
    }
}
