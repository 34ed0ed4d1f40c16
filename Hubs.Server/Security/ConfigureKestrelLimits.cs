using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

/// <summary>Slow or bloated requests (slowloris, huge headers, trickled bodies) are cut off before they reach the app.</summary>
internal sealed class ConfigureKestrelLimits(IOptions<LimitsOptions> limits) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        var value = limits.Value;
        options.AddServerHeader = false;
        options.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(value.RequestHeadersTimeoutSeconds);
        options.Limits.MaxRequestHeadersTotalSize = value.MaxRequestHeadersTotalBytes;
        options.Limits.MinRequestBodyDataRate = value.MinRequestBodyBytesPerSecond == 0
            ? null
            : new MinDataRate(value.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(5));

        // The largest body anything here legitimately sends is a publish request; WebSocket streams are exempt (upgraded).
        options.Limits.MaxRequestBodySize = Math.Max(value.PublishMaxBodyBytes, value.MaxMessageBytes);
    }
}
