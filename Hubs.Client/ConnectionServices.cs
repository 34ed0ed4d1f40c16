using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;

namespace Hubs.Client;

/// <summary>What every session of one <see cref="HubConnection"/> shares; it outlives reconnects.</summary>
internal sealed record ConnectionServices(
    HubConnectionOptions Options,
    JsonHubProtocol Protocol,
    JsonSerializerOptions PayloadSerializerOptions,
    CallbackRegistry Callbacks,
    CallbackDispatcher Dispatcher,
    InvocationBinder Binder,
    ILogger Logger)
{
    private long _attempts;

    public Uri Url => Options.Url!;

    /// <summary>The URL of the next connect attempt (see <see cref="HubConnectionOptions.UrlProvider"/>).</summary>
    public Uri NextUrl()
    {
        var attempt = Interlocked.Increment(ref _attempts) - 1;
        return Options.UrlProvider is { } provider ? provider(attempt) : Url;
    }
}
