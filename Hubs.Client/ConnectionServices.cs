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
    public Uri Url => Options.Url!;
}
