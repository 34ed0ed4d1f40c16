using System.Runtime.CompilerServices;
using System.Text.Json;
using Hubs.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Hubs.Client;

/// <summary>
/// A SignalR connection to one hub, speaking the JSON hub protocol over a WebSocket (no negotiate request).
/// The core is untyped (<see cref="InvokeCoreAsync"/>, <see cref="SendCoreAsync"/>, <see cref="StreamAsyncCore"/>,
/// <see cref="On"/>); typed sugar is in <see cref="HubConnectionExtensions"/> and the typed clients.
/// Payloads use the Hubs JSON conventions (<see cref="HubsJson"/>: snake_case), like the server.
/// </summary>
/// <remarks>
/// Thread-safe. Callbacks run one at a time, in arrival order, never on the receive loop: a slow callback delays
/// later callbacks but not results, stream items or keep-alives. Handlers and events survive reconnects;
/// server-side state (group memberships, subscriptions) does not, so re-establish it in <see cref="Reconnected"/>.
/// </remarks>
public sealed partial class HubConnection : IAsyncDisposable
{
    private readonly ConnectionServices _services;

    /// <summary>Creates a connection; call <see cref="StartAsync"/> to connect.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public HubConnection(HubConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var snapshot = options.Clone();
        snapshot.Validate();

        var protocolOptions = new JsonHubProtocolOptions();
        HubsJson.Apply(protocolOptions.PayloadSerializerOptions);
        var logger = snapshot.LoggerFactory?.CreateLogger<HubConnection>() ?? (ILogger)NullLogger.Instance;
        var callbacks = new CallbackRegistry();
        _services = new ConnectionServices(
            snapshot,
            new JsonHubProtocol(Options.Create(protocolOptions)),
            protocolOptions.PayloadSerializerOptions,
            callbacks,
            new CallbackDispatcher(logger),
            new InvocationBinder(callbacks),
            logger);
    }

    /// <summary>Creates a connection to <paramref name="url"/>; <paramref name="configure"/> adjusts the other settings.</summary>
    public HubConnection(Uri url, Action<HubConnectionOptions>? configure = null)
        : this(BuildOptions(url, configure))
    {
    }

    /// <summary>The hub URL.</summary>
    public Uri Url => _services.Url;

    /// <summary>The connection's logger, for the typed clients built on it.</summary>
    internal ILogger Logger => _services.Logger;

    /// <summary>Runs <paramref name="work"/> on the callback dispatcher after every callback received so far.</summary>
    internal void EnqueueAfterReceived(Func<Task> work) =>
        _services.Dispatcher.Enqueue("(resume)", [new CallbackRegistry.Callback(_ => work())], []);

    /// <summary>
    /// Registers a handler for a server-to-client method. Every handler of a method must take the same
    /// <paramref name="parameterTypes"/>. Dispose the result to unregister.
    /// </summary>
    /// <param name="methodName">The wire method name (the callback interface method name, e.g. <c>ProjectUpdated</c>).</param>
    /// <param name="parameterTypes">The argument types to deserialize.</param>
    /// <param name="handler">Receives the arguments; runs off the receive loop, in message order.</param>
    public IDisposable On(string methodName, Type[] parameterTypes, Func<object?[], Task> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        ArgumentNullException.ThrowIfNull(parameterTypes);
        ArgumentNullException.ThrowIfNull(handler);
        return _services.Callbacks.Add(methodName, parameterTypes, handler);
    }

    /// <summary>
    /// Invokes a hub method and waits for its result, deserialized as <paramref name="returnType"/>
    /// (null when the method returns nothing).
    /// </summary>
    /// <exception cref="HubInvocationException">The hub method failed; the connection is still usable.</exception>
    /// <exception cref="IOException">The connection was lost or stopped before the result arrived.</exception>
    /// <exception cref="InvalidOperationException">The connection is not connected.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the server method still runs to its end.</exception>
    public async Task<object?> InvokeCoreAsync(string methodName, Type returnType, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        ArgumentNullException.ThrowIfNull(returnType);
        var result = await ActiveSession(methodName).InvokeAsync(methodName, args ?? [], cancellationToken).ConfigureAwait(false);
        return result is { } element ? Deserialize(element, returnType, methodName) : null;
    }

    /// <summary>
    /// Sends a hub method invocation without waiting for it to run (fire and forget: no invocation id, so the
    /// server sends no result or error). Completes when the message is written to the socket.
    /// </summary>
    public Task SendCoreAsync(string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        return ActiveSession(methodName).SendInvocationAsync(methodName, args ?? [], cancellationToken);
    }

    /// <summary>
    /// Invokes a streaming hub method (one returning <c>IAsyncEnumerable</c> or a channel) and yields its items,
    /// each deserialized as <paramref name="itemType"/>. The invocation is sent when enumeration starts. Breaking out
    /// of the loop or cancelling <paramref name="cancellationToken"/> sends a cancel to the server, which cancels
    /// the hub method's <see cref="CancellationToken"/>.
    /// </summary>
    /// <exception cref="HubInvocationException">The hub method failed (thrown by the enumerator).</exception>
    /// <exception cref="IOException">The connection was lost or stopped before the stream completed.</exception>
    public async IAsyncEnumerable<object?> StreamAsyncCore(
        string methodName,
        Type itemType,
        object?[] args,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        ArgumentNullException.ThrowIfNull(itemType);
        var session = ActiveSession(methodName);
        var stream = await session.StartStreamAsync(methodName, args ?? [], cancellationToken).ConfigureAwait(false);
        var completed = false;
        try
        {
            while (await stream.Items.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (stream.Items.TryRead(out var item))
                {
                    yield return item.ValueKind == JsonValueKind.Undefined ? null : Deserialize(item, itemType, methodName);
                }
            }

            completed = true;
        }
        finally
        {
            if (!completed)
            {
                await session.CancelStreamAsync(stream).ConfigureAwait(false);
            }
        }
    }

    private ConnectionSession ActiveSession(string methodName) =>
        _session ?? throw new InvalidOperationException(
            $"Cannot call '{methodName}': the connection to {Url} is {State}. Call StartAsync first, or wait for Reconnected.");

    private object? Deserialize(JsonElement element, Type type, string methodName)
    {
        try
        {
            return element.Deserialize(type, _services.PayloadSerializerOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The server's answer to '{methodName}' could not be read as {type.Name}: {ex.Message}", ex);
        }
    }

    private static HubConnectionOptions BuildOptions(Uri url, Action<HubConnectionOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(url);
        var options = new HubConnectionOptions { Url = url };
        configure?.Invoke(options);
        return options;
    }
}
