using Hubs.Client;
using Hubs.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Hubs.Tests.Client;

public sealed class HubConnectionReconnectTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // Fast and long-lived, so a test waits for the server, not for the policy.
    private static readonly IRetryPolicy QuickRetries =
        new DefaultRetryPolicy(Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 200));

    [Fact]
    public async Task ServerStopsAndRestarts_OnSamePort_ReconnectsAndInvokesAgain()
    {
        // This test has failed twice in full-suite runs (state Reconnecting right after Reconnected) and never alone;
        // the client's own log goes into the failure message so the next occurrence says why.
        var logs = new CapturedLogs();
        using var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        await using var server = await TestHubServer.StartAsync();
        await using var connection = new HubConnection(server.TestHubUrl, options =>
        {
            options.RetryPolicy = QuickRetries;
            options.LoggerFactory = loggerFactory;
        });
        var events = new ConnectionEvents(connection);
        await connection.StartAsync().WaitAsync(Patience);
        var pending = connection.InvokeAsync("Hang", []);
        await server.Observations.HangStarted.Task.WaitAsync(Patience);

        await server.StopAsync();
        await events.Reconnecting.Task.WaitAsync(Patience);
        var stateWhileDown = connection.State;
        var pendingFailure = await Record.ExceptionAsync(() => pending.WaitAsync(Patience));
        await server.StartAgainAsync();
        await events.Reconnected.Task.WaitAsync(Patience);

        stateWhileDown.Should().Be(HubConnectionState.Reconnecting);
        pendingFailure.Should().BeOfType<IOException>().Which.Message.Should().Contain("lost");
        connection.State.Should().Be(HubConnectionState.Connected, "the client logged:\n{0}", string.Join('\n', logs.Entries.Select(e => e.Message)));
        (await connection.InvokeAsync<int>("Add", [20, 22]).WaitAsync(Patience)).Should().Be(42);
        events.Closed.Task.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task ServerGoesSilent_BeyondServerTimeout_RaisesReconnectingWithTimeout()
    {
        // The server never pings within the test, so only the client's server timeout can notice the silence.
        await using var server = await TestHubServer.StartAsync(hub =>
        {
            hub.KeepAliveInterval = TimeSpan.FromMinutes(5);
            hub.ClientTimeoutInterval = TimeSpan.FromMinutes(10);
        });
        await using var connection = new HubConnection(server.TestHubUrl, options =>
        {
            options.ServerTimeout = TimeSpan.FromSeconds(2);
            options.KeepAliveInterval = TimeSpan.FromSeconds(1);
            options.RetryPolicy = QuickRetries;
        });
        var events = new ConnectionEvents(connection);
        await connection.StartAsync().WaitAsync(Patience);

        var reason = await events.Reconnecting.Task.WaitAsync(Patience);
        await events.Reconnected.Task.WaitAsync(Patience);

        reason.Should().BeOfType<TimeoutException>().Which.Message.Should().Contain("server timeout");
    }

    [Fact]
    public async Task ServerKeepsPinging_WithinServerTimeout_StaysConnected()
    {
        // The server checks its keep-alive on a one-second heartbeat, so it pings about once a second.
        await using var server = await TestHubServer.StartAsync(hub => hub.KeepAliveInterval = TimeSpan.FromMilliseconds(200));
        await using var connection = new HubConnection(server.TestHubUrl, options =>
        {
            options.ServerTimeout = TimeSpan.FromSeconds(2.5);
            options.RetryPolicy = QuickRetries;
        });
        var events = new ConnectionEvents(connection);
        await connection.StartAsync().WaitAsync(Patience);

        // Several server timeouts long: without the server's pings the connection would have been dropped.
        await Task.Delay(TimeSpan.FromSeconds(6));

        events.Reconnecting.Task.IsCompleted.Should().BeFalse();
        connection.State.Should().Be(HubConnectionState.Connected);
    }

    [Fact]
    public async Task ServerStops_WithoutRetryPolicy_ClosesWithTheReason()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var connection = new HubConnection(server.TestHubUrl, options => options.RetryPolicy = null);
        var events = new ConnectionEvents(connection);
        await connection.StartAsync().WaitAsync(Patience);

        await server.StopAsync();
        await events.Closed.Task.WaitAsync(Patience);

        connection.State.Should().Be(HubConnectionState.Disconnected);
        events.Reconnecting.Task.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task RetryPolicyGivesUp_ServerStaysDown_ClosesWithTheLastError()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var connection = new HubConnection(server.TestHubUrl, options =>
            options.RetryPolicy = new DefaultRetryPolicy([TimeSpan.Zero, TimeSpan.FromMilliseconds(50)]));
        var events = new ConnectionEvents(connection);
        await connection.StartAsync().WaitAsync(Patience);

        await server.StopAsync();
        var closedWith = await events.Closed.Task.WaitAsync(Patience);

        events.Reconnecting.Task.IsCompleted.Should().BeTrue();
        closedWith.Should().NotBeNull("the last failed attempt is the reason");
        connection.State.Should().Be(HubConnectionState.Disconnected);
    }

    [Fact]
    public async Task StopAsync_WhileReconnecting_StopsRetryingAndCloses()
    {
        await using var server = await TestHubServer.StartAsync();
        await using var connection = new HubConnection(server.TestHubUrl, options => options.RetryPolicy = QuickRetries);
        var events = new ConnectionEvents(connection);
        await connection.StartAsync().WaitAsync(Patience);
        await server.StopAsync();
        await events.Reconnecting.Task.WaitAsync(Patience);

        await connection.StopAsync().WaitAsync(Patience);

        connection.State.Should().Be(HubConnectionState.Disconnected);
        (await events.Closed.Task.WaitAsync(Patience)).Should().BeNull();
        events.Reconnected.Task.IsCompleted.Should().BeFalse();
    }

    /// <summary>The first occurrence of each event.</summary>
    private sealed class ConnectionEvents
    {
        public ConnectionEvents(HubConnection connection)
        {
            connection.Reconnecting += error =>
            {
                Reconnecting.TrySetResult(error);
                return Task.CompletedTask;
            };
            connection.Reconnected += id =>
            {
                Reconnected.TrySetResult(id);
                return Task.CompletedTask;
            };
            connection.Closed += error =>
            {
                Closed.TrySetResult(error);
                return Task.CompletedTask;
            };
        }

        public TaskCompletionSource<Exception?> Reconnecting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string?> Reconnected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<Exception?> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
