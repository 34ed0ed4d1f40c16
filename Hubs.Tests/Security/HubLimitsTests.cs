using Hubs.Contracts;
using Hubs.Server.Security;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hubs.Tests.Security;

/// <summary>Claims checks and limits inside a hub connection: each refusal is an error for that call only, plus a counter.</summary>
public sealed class HubLimitsTests
{
    [Fact]
    public async Task SubscribeProject_ProjectNotInClaim_UnauthorizedAndConnectionStaysUp()
    {
        await using var server = await SecurityTestServer.StartProductionAsync();
        var token = TestTokens.Create("alice", projects: ["p1", "p2"]);
        await using var client = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + token));

        var denied = await client.InvokeAsync("SubscribeProject", "p3");
        var allowed = await client.InvokeAsync("SubscribeProject", "p2");

        HubError(denied.Error).Should().Be((HubErrorCodes.Unauthorized, "no access to project 'p3'"));
        allowed.Error.Should().BeNull();
        allowed.Result!.Value.GetString().Should().Be("p2");
        server.Counters.MessageErrors(MessageErrorTypes.Unauthorized).Should().Be(1);
    }

    [Fact]
    public async Task SubscribeProject_StarClaim_AnyProject()
    {
        await using var server = await SecurityTestServer.StartProductionAsync();
        await using var client = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + TestTokens.Create("ops", projects: ["*"])));

        (await client.InvokeAsync("SubscribeProject", "anything")).Error.Should().BeNull();
    }

    [Fact]
    public async Task SubscribeIncidents_WithoutIncidentsGrant_UnauthorizedWithIt_Allowed()
    {
        await using var server = await SecurityTestServer.StartProductionAsync();
        await using var plain = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + TestTokens.Create("alice")));
        await using var byScope = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + TestTokens.Create("bob", scopes: ["hubs.incidents"])));
        await using var byRole = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + TestTokens.Create("carol", roles: ["incidents"])));

        HubError((await plain.InvokeAsync("SubscribeIncidents")).Error).Code.Should().Be(HubErrorCodes.Unauthorized);
        (await byScope.InvokeAsync("SubscribeIncidents")).Error.Should().BeNull();
        (await byRole.InvokeAsync("SubscribeIncidents")).Error.Should().BeNull();
        (await plain.InvokeAsync("Echo", "still here")).Result!.Value.GetString().Should().Be("still here");
    }

    [Fact]
    public async Task Invoke_OverMessagesPerMinute_RateLimitedAndConnectionStaysUp()
    {
        await using var server = await SecurityTestServer.StartProductionAsync("Limits:MessagesPerMinutePerUser=3");
        var token = TestTokens.Create("alice");
        await using var first = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + token));
        await using var second = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + token));
        await using var otherUser = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + TestTokens.Create("bob")));

        for (var i = 0; i < 3; i++)
        {
            (await first.InvokeAsync("Echo", "m" + i)).Error.Should().BeNull();
        }

        var overFirst = await first.InvokeAsync("Echo", "m3");
        var overSecond = await second.InvokeAsync("Echo", "same user, other connection");
        var bob = await otherUser.InvokeAsync("Echo", "bob has his own allowance");

        HubError(overFirst.Error).Should().Be((HubErrorCodes.RateLimited, "Rate limit exceeded"));
        (await first.InvokeAsync("Ack", "exempt")).Error.Should().BeNull("methods marked [RateLimitExempt] are not counted");
        HubError(overSecond.Error).Code.Should().Be(HubErrorCodes.RateLimited, "the allowance is per user, not per connection");
        bob.Error.Should().BeNull();
        first.State.Should().Be(System.Net.WebSockets.WebSocketState.Open);
        server.Counters.MessageErrors(MessageErrorTypes.RateLimited).Should().Be(2);
    }

    [Fact]
    public async Task Connect_OverMaxConnectionsPerUser_RefusedWithLimitExceededUntilOneCloses()
    {
        await using var server = await SecurityTestServer.StartProductionAsync("Limits:MaxConnectionsPerUser=2");
        var uri = server.WebSocketUri(ProbeHub.Path, "access_token=" + TestTokens.Create("alice"));
        var first = await RawHubClient.ConnectAsync(uri);
        await using var second = await RawHubClient.ConnectAsync(uri);
        await using var bob = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + TestTokens.Create("bob")));

        await using var third = await RawHubClient.ConnectAsync(uri);
        var close = await third.ReadUntilCloseAsync();

        close.Should().NotBeNull();
        close!.Value.GetProperty("error").GetString().Should().Contain("LIMIT_EXCEEDED: Too many connections for this user (at most 2)");
        server.Counters.AuthFailures(AuthFailureReasons.ConnectionLimit).Should().Be(1);

        await first.DisposeAsync();
        var limiter = server.App.Services.GetRequiredService<IConnectionLimiter>();
        await WaitUntilAsync(() => limiter.CountOf("alice") == 1);
        await using var again = await RawHubClient.ConnectAsync(uri);
        (await again.InvokeAsync("Echo", "admitted")).Error.Should().BeNull();
    }

    [Fact]
    public async Task AddSubscription_AtMaxSubscriptionsPerConnection_LimitExceeded()
    {
        await using var server = await SecurityTestServer.StartProductionAsync("Limits:MaxSubscriptionsPerConnection=2");
        await using var client = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + TestTokens.Create("alice")));

        (await client.InvokeAsync("AddSubscription", 1)).Error.Should().BeNull();
        var refused = await client.InvokeAsync("AddSubscription", 2);

        HubError(refused.Error).Should().Be((HubErrorCodes.LimitExceeded, "At most 2 subscriptions per connection"));
        server.Counters.MessageErrors(MessageErrorTypes.LimitExceeded).Should().Be(1);
    }

    [Fact]
    public async Task Send_MessageOverMaxMessageBytes_ConnectionClosedWithError()
    {
        await using var server = await SecurityTestServer.StartProductionAsync("Limits:MaxMessageBytes=4096");
        await using var client = await RawHubClient.ConnectAsync(server.WebSocketUri(ProbeHub.Path, "access_token=" + TestTokens.Create("alice")));

        await client.SendAsync($$"""{"type":1,"invocationId":"1","target":"Echo","arguments":["{{new string('x', 5000)}}"]}""");
        var close = await client.ReadUntilCloseAsync();

        close.Should().NotBeNull();
        close!.Value.GetProperty("error").GetString().Should().Contain("Connection closed with an error");
    }

    [Fact]
    public async Task HubOptions_EveryHub_DefensiveDefaults()
    {
        await using var server = await SecurityTestServer.StartProductionAsync();

        // Hubs without hub-specific options use the global HubOptions.
        var options = server.App.Services.GetRequiredService<IOptions<HubOptions>>().Value;

        options.MaximumReceiveMessageSize.Should().Be(64 * 1024);
        options.MaximumParallelInvocationsPerClient.Should().Be(1);
        options.HandshakeTimeout.Should().Be(TimeSpan.FromSeconds(15));
    }

    /// <summary>
    /// SignalR sends a HubException as "An unexpected error occurred invoking 'X' on the server. HubException: CODE: text";
    /// the code and text are what follows the exception name.
    /// </summary>
    internal static (string? Code, string Message) HubError(string? error)
    {
        const string marker = "HubException: ";
        var at = error?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        return HubErrorCodes.Parse(at >= 0 ? error![(at + marker.Length)..] : error);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
