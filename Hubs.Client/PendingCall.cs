using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hubs.Client;

/// <summary>
/// An invocation or stream waiting for the server. Results and items are bound as <see cref="JsonElement"/> on the
/// receive loop and converted to the caller's type by the caller, so a type mismatch fails that call only, not
/// the connection, and deserialization work stays off the receive loop.
/// </summary>
internal abstract class PendingCall
{
    public abstract void Complete(CompletionMessage completion);

    public abstract void Fail(Exception exception);
}

/// <summary>An invocation with a result: completes once.</summary>
internal sealed class PendingInvocation : PendingCall
{
    private readonly TaskCompletionSource<JsonElement?> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<JsonElement?> Result => _result.Task;

    public override void Complete(CompletionMessage completion)
    {
        if (completion.Error is not null)
        {
            _result.TrySetException(new HubInvocationException(completion.Error));
        }
        else
        {
            _result.TrySetResult(completion.HasResult ? completion.Result as JsonElement? : null);
        }
    }

    public override void Fail(Exception exception) => _result.TrySetException(exception);

    public void Cancel(CancellationToken cancellationToken) => _result.TrySetCanceled(cancellationToken);
}

/// <summary>A server-to-client stream: items in order, then completion or error.</summary>
internal sealed class PendingStream(string invocationId) : PendingCall
{
    private readonly Channel<JsonElement> _items = Channel.CreateUnbounded<JsonElement>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = false });

    public string InvocationId { get; } = invocationId;

    public ChannelReader<JsonElement> Items => _items.Reader;

    public void Write(object? item) => _items.Writer.TryWrite(item as JsonElement? ?? default);

    public override void Complete(CompletionMessage completion) =>
        _items.Writer.TryComplete(completion.Error is null ? null : new HubInvocationException(completion.Error));

    public override void Fail(Exception exception) => _items.Writer.TryComplete(exception);
}
