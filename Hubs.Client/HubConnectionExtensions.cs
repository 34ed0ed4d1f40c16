using System.Runtime.CompilerServices;

namespace Hubs.Client;

/// <summary>Typed sugar over the untyped core of <see cref="HubConnection"/>.</summary>
public static class HubConnectionExtensions
{
    /// <summary>Invokes a hub method and returns its result as <typeparamref name="TResult"/>.</summary>
    /// <inheritdoc cref="HubConnection.InvokeCoreAsync" path="/exception"/>
    public static async Task<TResult> InvokeAsync<TResult>(
        this HubConnection connection, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var result = await connection.InvokeCoreAsync(methodName, typeof(TResult), args, cancellationToken).ConfigureAwait(false);
        return result is null ? default! : (TResult)result;
    }

    /// <summary>Invokes a hub method that takes no arguments and returns its result as <typeparamref name="TResult"/>.</summary>
    public static Task<TResult> InvokeAsync<TResult>(this HubConnection connection, string methodName, CancellationToken cancellationToken = default) =>
        connection.InvokeAsync<TResult>(methodName, [], cancellationToken);

    /// <summary>Invokes a hub method and waits until it has run (its result, if any, is ignored).</summary>
    /// <inheritdoc cref="HubConnection.InvokeCoreAsync" path="/exception"/>
    public static Task InvokeAsync(this HubConnection connection, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.InvokeCoreAsync(methodName, typeof(object), args, cancellationToken);
    }

    /// <summary>Sends a hub method invocation without waiting for it to run (see <see cref="HubConnection.SendCoreAsync"/>).</summary>
    public static Task SendAsync(this HubConnection connection, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.SendCoreAsync(methodName, args, cancellationToken);
    }

    /// <summary>Streams the items of a streaming hub method as <typeparamref name="TItem"/> (see <see cref="HubConnection.StreamAsyncCore"/>).</summary>
    public static async IAsyncEnumerable<TItem> StreamAsync<TItem>(
        this HubConnection connection,
        string methodName,
        object?[] args,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await foreach (var item in connection.StreamAsyncCore(methodName, typeof(TItem), args, cancellationToken).ConfigureAwait(false))
        {
            yield return item is null ? default! : (TItem)item;
        }
    }

    /// <summary>Registers a handler for a server-to-client method without arguments.</summary>
    public static IDisposable On(this HubConnection connection, string methodName, Func<Task> handler)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(handler);
        return connection.On(methodName, Type.EmptyTypes, _ => handler());
    }

    /// <summary>Registers a synchronous handler for a server-to-client method without arguments.</summary>
    public static IDisposable On(this HubConnection connection, string methodName, Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return connection.On(methodName, () =>
        {
            handler();
            return Task.CompletedTask;
        });
    }

    /// <summary>Registers a handler for a server-to-client method with one argument.</summary>
    public static IDisposable On<T1>(this HubConnection connection, string methodName, Func<T1, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(handler);
        return connection.On(methodName, [typeof(T1)], args => handler((T1)args[0]!));
    }

    /// <summary>Registers a synchronous handler for a server-to-client method with one argument.</summary>
    public static IDisposable On<T1>(this HubConnection connection, string methodName, Action<T1> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return connection.On<T1>(methodName, arg =>
        {
            handler(arg);
            return Task.CompletedTask;
        });
    }

    /// <summary>Registers a handler for a server-to-client method with two arguments.</summary>
    public static IDisposable On<T1, T2>(this HubConnection connection, string methodName, Func<T1, T2, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(handler);
        return connection.On(methodName, [typeof(T1), typeof(T2)], args => handler((T1)args[0]!, (T2)args[1]!));
    }

    /// <summary>Registers a synchronous handler for a server-to-client method with two arguments.</summary>
    public static IDisposable On<T1, T2>(this HubConnection connection, string methodName, Action<T1, T2> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return connection.On<T1, T2>(methodName, (arg1, arg2) =>
        {
            handler(arg1, arg2);
            return Task.CompletedTask;
        });
    }

    /// <summary>Registers a handler for a server-to-client method with three arguments.</summary>
    public static IDisposable On<T1, T2, T3>(this HubConnection connection, string methodName, Func<T1, T2, T3, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(handler);
        return connection.On(methodName, [typeof(T1), typeof(T2), typeof(T3)], args => handler((T1)args[0]!, (T2)args[1]!, (T3)args[2]!));
    }
}
