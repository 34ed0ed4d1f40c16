using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Client;

/// <summary>
/// Tells the protocol which types to bind. Results and stream items are always <see cref="JsonElement"/>
/// (see <see cref="PendingCall"/>), which also makes late answers to cancelled calls harmless.
/// </summary>
internal sealed class InvocationBinder(CallbackRegistry callbacks) : IInvocationBinder
{
    public Type GetReturnType(string invocationId) => typeof(JsonElement);

    public Type GetStreamItemType(string streamId) => typeof(JsonElement);

    public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
        callbacks.TryGet(methodName, out var registered)
            ? registered.ParameterTypes
            : throw new InvalidOperationException($"No handler is registered for '{methodName}'.");
}
