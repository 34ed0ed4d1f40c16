using System.Runtime.CompilerServices;
using System.Text.Json;
using Hubs.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Tests.Client;

/// <summary>A purpose-built hub exercising every feature of the client (independent of the product hubs).</summary>
internal sealed class ClientTestHub(ServerObservations observations) : Hub
{
    public const string Path = "/hubs/client-test";

    public int Add(int a, int b) => a + b;

    /// <summary>Returns the JSON the client sent, so a test can see the wire shape.</summary>
    public string RawJson(JsonElement element) => element.GetRawText();

    public SamplePayload Echo(SamplePayload payload) => payload;

    public void Fail(string code, string message) => throw new HubException(HubErrorCodes.Format(code, message));

    public void Record(string value) => observations.Record(value);

    public async Task TriggerCallbacks(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Clients.Caller.SendAsync("Tick", i);
        }
    }

    public async Task Hang()
    {
        observations.HangStarted.TrySetResult();
        await Task.Delay(Timeout.Infinite, Context.ConnectionAborted);
    }

    public string? RemoteAddress() => Context.GetHttpContext()!.Connection.RemoteIpAddress?.ToString();

    public TokenSeen WhoAmI()
    {
        var request = Context.GetHttpContext()!.Request;
        return new TokenSeen(
            request.Query["access_token"].ToString(),
            request.Headers.Authorization.ToString(),
            request.Headers["X-Client-Test"].ToString());
    }

    public async IAsyncEnumerable<int> Count(int count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return i;
        }
    }

    public async IAsyncEnumerable<int> CountThenFail(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }

        throw new HubException(HubErrorCodes.Format(HubErrorCodes.Busy, "generator overloaded"));
    }

    public async IAsyncEnumerable<int> Endless([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var i = 0;
        try
        {
            while (true)
            {
                await Task.Delay(20, cancellationToken);
                yield return i++;
            }
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested)
            {
                observations.StreamCancelled.TrySetResult();
            }
        }
    }
}

internal sealed record SamplePayload(string UserId, int ItemCount);

internal sealed record TokenSeen(string QueryToken, string Authorization, string CustomHeader);
