using System.Collections.Concurrent;
using Hubs.Client;
using Hubs.Contracts;

namespace Hubs.Tests.Client;

public sealed class HubConnectionTests : IAsyncLifetime
{
    // Generous: only there so a broken client fails the test instead of hanging the run.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private TestHubServer _server = null!;
    private HubConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _server = await TestHubServer.StartAsync();
        _connection = new HubConnection(_server.TestHubUrl);
    }

    public async Task DisposeAsync()
    {
        // Bounded, so a client that hangs on stop fails its test rather than the whole run.
        await _connection.DisposeAsync().AsTask().WaitAsync(Patience);
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task InvokeAsync_AfterHandshake_ReturnsTheResult()
    {
        await _connection.StartAsync().WaitAsync(Patience);

        var sum = await _connection.InvokeAsync<int>("Add", [2, 3]).WaitAsync(Patience);

        _connection.State.Should().Be(HubConnectionState.Connected);
        sum.Should().Be(5);
    }

    [Fact]
    public async Task InvokeAsync_RecordArgument_TravelsAsSnakeCaseAndRoundTrips()
    {
        await _connection.StartAsync().WaitAsync(Patience);
        var payload = new SamplePayload("user-1", 3);

        var raw = await _connection.InvokeAsync<string>("RawJson", [payload]).WaitAsync(Patience);
        var echoed = await _connection.InvokeAsync<SamplePayload>("Echo", [payload]).WaitAsync(Patience);

        raw.Should().Be("""{"user_id":"user-1","item_count":3}""");
        echoed.Should().Be(payload);
    }

    [Fact]
    public async Task InvokeAsync_MethodThrowsHubException_ThrowsHubInvocationExceptionWithCodeAndConnectionSurvives()
    {
        await _connection.StartAsync().WaitAsync(Patience);

        var act = () => _connection.InvokeAsync("Fail", [HubErrorCodes.NotFound, "no subscription 'x'"]).WaitAsync(Patience);

        var error = (await act.Should().ThrowAsync<HubInvocationException>()).Which;
        error.Code.Should().Be(HubErrorCodes.NotFound);
        error.Message.Should().Be("no subscription 'x'");
        error.Error.Should().Contain("Fail").And.EndWith("HubException: NOT_FOUND: no subscription 'x'");
        (await _connection.InvokeAsync<int>("Add", [1, 1]).WaitAsync(Patience)).Should().Be(2);
        _connection.State.Should().Be(HubConnectionState.Connected);
    }

    [Fact]
    public async Task InvokeAsync_UnknownMethod_ThrowsHubInvocationExceptionWithoutCode()
    {
        await _connection.StartAsync().WaitAsync(Patience);

        var act = () => _connection.InvokeAsync("NoSuchMethod", []).WaitAsync(Patience);

        (await act.Should().ThrowAsync<HubInvocationException>()).Which.Code.Should().BeNull();
    }

    [Fact]
    public async Task InvokeAsync_BeforeStart_ThrowsInvalidOperation()
    {
        var act = () => _connection.InvokeAsync<int>("Add", [1, 2]);

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*Disconnected*StartAsync*");
    }

    [Fact]
    public async Task SendAsync_FireAndForget_ReachesTheServer()
    {
        await _connection.StartAsync().WaitAsync(Patience);

        await _connection.SendAsync("Record", ["hello"]).WaitAsync(Patience);

        using var timeout = new CancellationTokenSource(Patience);
        (await _server.Observations.NextRecordAsync(timeout.Token)).Should().Be("hello");
    }

    [Fact]
    public async Task On_SlowCallback_RunsOffTheReceiveLoopAndInMessageOrder()
    {
        const int count = 20;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new ConcurrentQueue<int>();
        _connection.On<int>("Tick", async tick =>
        {
            if (tick == 0)
            {
                await gate.Task;
            }

            received.Enqueue(tick);
            if (received.Count == count)
            {
                allReceived.TrySetResult();
            }
        });
        await _connection.StartAsync().WaitAsync(Patience);

        // The first callback is blocked; results must still arrive (the receive loop is not running callbacks).
        await _connection.InvokeAsync("TriggerCallbacks", [count]).WaitAsync(Patience);
        var sum = await _connection.InvokeAsync<int>("Add", [20, 22]).WaitAsync(Patience);
        var receivedWhileBlocked = received.Count;
        gate.SetResult();
        await allReceived.Task.WaitAsync(Patience);

        sum.Should().Be(42);
        receivedWhileBlocked.Should().Be(0, "callbacks run one at a time, so none may overtake the blocked first one");
        received.Should().Equal(Enumerable.Range(0, count));
    }

    [Fact]
    public async Task On_DisposedRegistration_StopsReceiving()
    {
        var first = new ConcurrentQueue<int>();
        var second = new ConcurrentQueue<int>();
        var secondDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = _connection.On<int>("Tick", first.Enqueue);
        _connection.On<int>("Tick", tick =>
        {
            second.Enqueue(tick);
            if (second.Count == 3)
            {
                secondDone.TrySetResult();
            }
        });
        await _connection.StartAsync().WaitAsync(Patience);

        registration.Dispose();
        await _connection.InvokeAsync("TriggerCallbacks", [3]).WaitAsync(Patience);
        await secondDone.Task.WaitAsync(Patience);

        first.Should().BeEmpty();
        second.Should().Equal(0, 1, 2);
    }

    [Fact]
    public async Task StreamAsync_ItemsThenCompletion_YieldsEveryItemInOrder()
    {
        await _connection.StartAsync().WaitAsync(Patience);
        using var timeout = new CancellationTokenSource(Patience);

        var items = new List<int>();
        await foreach (var item in _connection.StreamAsync<int>("Count", [5], timeout.Token))
        {
            items.Add(item);
        }

        items.Should().Equal(0, 1, 2, 3, 4);
        (await _connection.InvokeAsync<int>("Add", [1, 2]).WaitAsync(Patience)).Should().Be(3);
    }

    [Fact]
    public async Task StreamAsync_ServerFailsAfterItems_YieldsItemsThenThrowsWithCode()
    {
        await _connection.StartAsync().WaitAsync(Patience);
        using var timeout = new CancellationTokenSource(Patience);
        var items = new List<int>();

        var act = async () =>
        {
            await foreach (var item in _connection.StreamAsync<int>("CountThenFail", [2], timeout.Token))
            {
                items.Add(item);
            }
        };

        (await act.Should().ThrowAsync<HubInvocationException>()).Which.Code.Should().Be(HubErrorCodes.Busy);
        items.Should().Equal(0, 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StreamAsync_ConsumerStops_CancelsTheServerMethod(bool viaToken)
    {
        await _connection.StartAsync().WaitAsync(Patience);
        using var consumer = new CancellationTokenSource();
        var items = 0;

        var act = async () =>
        {
            await foreach (var _ in _connection.StreamAsync<int>("Endless", [], consumer.Token))
            {
                if (++items < 3)
                {
                    continue;
                }

                if (viaToken)
                {
                    await consumer.CancelAsync();
                }
                else
                {
                    break;
                }
            }
        };

        if (viaToken)
        {
            await act.Should().ThrowAsync<OperationCanceledException>();
        }
        else
        {
            await act.Should().NotThrowAsync();
        }

        await _server.Observations.StreamCancelled.Task.WaitAsync(Patience);
        (await _connection.InvokeAsync<int>("Add", [1, 2]).WaitAsync(Patience)).Should().Be(3);
    }

    [Fact]
    public async Task StopAsync_WithPendingInvocation_CompletesAndFailsTheCall()
    {
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        await _connection.StartAsync().WaitAsync(Patience);
        var pending = _connection.InvokeAsync("Hang", []);
        await _server.Observations.HangStarted.Task.WaitAsync(Patience);

        await _connection.StopAsync().WaitAsync(Patience);

        var act = () => pending.WaitAsync(Patience);
        (await act.Should().ThrowAsync<IOException>()).WithMessage("*stopped*");
        _connection.State.Should().Be(HubConnectionState.Disconnected);
        (await closed.Task.WaitAsync(Patience)).Should().BeNull();
    }

    [Fact]
    public async Task StartAsync_AfterStop_ConnectsAgain()
    {
        await _connection.StartAsync().WaitAsync(Patience);
        await _connection.StopAsync().WaitAsync(Patience);

        await _connection.StartAsync().WaitAsync(Patience);

        (await _connection.InvokeAsync<int>("Add", [4, 5]).WaitAsync(Patience)).Should().Be(9);
    }

    [Fact]
    public async Task StartAsync_WithAccessTokenProviderAndHeaders_SendsTokenAsQueryAndBearerHeader()
    {
        await using var connection = new HubConnection(_server.TestHubUrl, options =>
        {
            options.AccessTokenProvider = _ => ValueTask.FromResult<string?>("token+/=1");
            options.Headers["X-Client-Test"] = "yes";
        });
        await connection.StartAsync().WaitAsync(Patience);

        var seen = await connection.InvokeAsync<TokenSeen>("WhoAmI", []).WaitAsync(Patience);

        seen.Should().Be(new TokenSeen("token+/=1", "Bearer token+/=1", "yes"));
    }

    [Fact]
    public async Task StartAsync_WithHttpMessageInvoker_ConnectsThroughItsSocketFromTheBoundSourceAddress()
    {
        var source = System.Net.IPAddress.Parse("127.0.0.2");
        var connects = 0;
        using var handler = new System.Net.Http.SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connects);
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                try
                {
                    socket.Bind(new System.Net.IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var invoker = new HttpMessageInvoker(handler);
        await using var connection = new HubConnection(_server.TestHubUrl, options =>
        {
            options.HttpMessageInvoker = invoker;
            options.AccessTokenProvider = _ => ValueTask.FromResult<string?>("t1");
        });
        await connection.StartAsync().WaitAsync(Patience);

        var remote = await connection.InvokeAsync<string>("RemoteAddress", []).WaitAsync(Patience);
        var seen = await connection.InvokeAsync<TokenSeen>("WhoAmI", []).WaitAsync(Patience);

        remote.Should().Be("127.0.0.2");
        connects.Should().Be(1);
        seen.Authorization.Should().Be("Bearer t1");
    }
}
