using System.Collections.Concurrent;

namespace Hubs.Client;

/// <summary>
/// The handlers registered with <see cref="HubConnection.On"/>, by wire method name. Lives as long as the
/// connection, so handlers survive reconnects. Reads (one per incoming invocation) take no lock.
/// </summary>
internal sealed class CallbackRegistry
{
    private readonly ConcurrentDictionary<string, MethodCallbacks> _methods = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();

    public IDisposable Add(string methodName, Type[] parameterTypes, Func<object?[], Task> handler)
    {
        var callback = new Callback(handler);
        lock (_writeLock)
        {
            if (_methods.TryGetValue(methodName, out var existing))
            {
                // The protocol binds arguments once per message, before it knows which handler runs: every
                // handler of a method must take the same types.
                if (!existing.ParameterTypes.AsSpan().SequenceEqual(parameterTypes))
                {
                    throw new ArgumentException(
                        $"Handlers of '{methodName}' already take ({Describe(existing.ParameterTypes)}); a handler taking ({Describe(parameterTypes)}) cannot be added.",
                        nameof(parameterTypes));
                }

                _methods[methodName] = existing with { Callbacks = [.. existing.Callbacks, callback] };
            }
            else
            {
                _methods[methodName] = new MethodCallbacks([.. parameterTypes], [callback]);
            }
        }

        return new Registration(this, methodName, callback);
    }

    public bool TryGet(string methodName, out MethodCallbacks callbacks) => _methods.TryGetValue(methodName, out callbacks!);

    private void Remove(string methodName, Callback callback)
    {
        lock (_writeLock)
        {
            if (!_methods.TryGetValue(methodName, out var existing))
            {
                return;
            }

            var remaining = existing.Callbacks.Where(c => !ReferenceEquals(c, callback)).ToArray();
            if (remaining.Length == 0)
            {
                _methods.TryRemove(methodName, out _);
            }
            else
            {
                _methods[methodName] = existing with { Callbacks = remaining };
            }
        }
    }

    private static string Describe(Type[] types) => string.Join(", ", types.Select(t => t.Name));

    /// <summary>An immutable snapshot: the receive loop hands it to the dispatcher as is.</summary>
    internal sealed record MethodCallbacks(Type[] ParameterTypes, Callback[] Callbacks);

    /// <summary>A reference-identity wrapper, so the same delegate registered twice is removed once per registration.</summary>
    internal sealed class Callback(Func<object?[], Task> handler)
    {
        public Func<object?[], Task> Handler { get; } = handler;
    }

    private sealed class Registration(CallbackRegistry registry, string methodName, Callback callback) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                registry.Remove(methodName, callback);
            }
        }
    }
}
