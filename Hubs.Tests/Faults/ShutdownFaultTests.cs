using System.Collections.Concurrent;
using Hubs.Client;
using Hubs.Contracts.Generation;
using Hubs.Contracts.Incidents;
using Xunit.Abstractions;

namespace Hubs.Tests.Faults;

/// <summary>SIGTERM to a real server process while a generation streams and a subscriber listens.</summary>
[Collection(FaultProcessTests.Name)]
public sealed class ShutdownFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sigterm_DuringGeneration_GenerationFinishesAndSubscriberResumesOnOtherInstance()
    {
        string[] settings = ["Generation:TemplateChunkDelay=00:00:00.040", "Shutdown:DrainTimeout=00:00:30"];
        await using var a = await HubsProcess.StartAsync(settings);
        await using var b = await HubsProcess.StartAsync(settings);
        var gateOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = 0;
        await using var hubs = new HubsClient([a.BaseUri, b.BaseUri], options =>
        {
            options.RetryPolicy = new DefaultRetryPolicy(Enumerable.Repeat(TimeSpan.FromMilliseconds(200), 300));
            options.AccessTokenProvider = async ct =>
            {
                // The incidents connection's reconnect waits until the test has published into the gap.
                if (Interlocked.Increment(ref attempts) > 2)
                {
                    await gateOpen.Task.WaitAsync(ct);
                }

                return null;
            };
        });

        var received = new ConcurrentQueue<string>();
        hubs.Incidents.OnIncidentEvent(e => received.Enqueue(e.MessageId));
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hubs.Incidents.Connection.Reconnecting += _ => { reconnecting.TrySetResult(); return Task.CompletedTask; };
        await hubs.Incidents.StartAsync().WaitAsync(Patience);
        await hubs.Generation.StartAsync().WaitAsync(Patience);
        await hubs.Incidents.Subscribe("all", new IncidentFilter(), since: null).WaitAsync(Patience);

        var published = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            published.Add(await a.PublishIncidentAsync(IncidentEventTypes.IncidentCreated, new Incident { Id = $"a-{i}", Severity = "P1" }));
        }

        await WaitUntil(() => received.Count == 3);

        var updates = new List<GenerationUpdate>();
        await using var stream = hubs.Generation.Generate(new GenerationRequest("a long post about resilient delivery", "user-1"), CancellationToken.None)
            .GetAsyncEnumerator();
        (await stream.MoveNextAsync().AsTask().WaitAsync(Patience)).Should().BeTrue();
        updates.Add(stream.Current);

        await using var legacy = await Legacy.LegacySocket.ConnectAsync(a.WebSocketUri("/ws/stream-generation"));
        (await legacy.ReceiveAsync(Patience))!.Value.GetProperty("type").GetString().Should().Be("connected");

        await a.TerminateAsync();
        var legacyTypes = new ConcurrentQueue<string?>();
        var legacyReader = Task.Run(async () =>
        {
            try
            {
                while (await legacy.ReceiveAsync(Patience) is { } message)
                {
                    legacyTypes.Enqueue(message.GetProperty("type").GetString());
                }
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                // The process may be gone before the close handshake completes; what arrived before counts.
            }
        });
        while (await stream.MoveNextAsync().AsTask().WaitAsync(Patience))
        {
            updates.Add(stream.Current);
        }

        await reconnecting.Task.WaitAsync(Patience);
        for (var i = 0; i < 3; i++)
        {
            published.Add(await b.PublishIncidentAsync(IncidentEventTypes.IncidentCreated, new Incident { Id = $"b-{i}", Severity = "P1" }));
        }

        gateOpen.TrySetResult();
        await WaitUntil(() => received.Count == published.Count);
        published.Add(await b.PublishIncidentAsync(IncidentEventTypes.IncidentCreated, new Incident { Id = "b-live", Severity = "P1" }));
        await WaitUntil(() => received.Count == published.Count);
        await a.WaitForExitAsync(new CancellationTokenSource(Patience).Token);
        output.WriteLine($"generation updates: {updates.Count}; server A exit code {a.ExitCode}");
        await legacyReader.WaitAsync(Patience);

        legacyTypes.Should().Contain("shutdown", "a legacy client gets its goodbye on SIGTERM");

        updates[^1].Type.Should().Be(GenerationUpdateType.Complete, "the generation in flight finishes within the drain");
        a.ExitCode.Should().Be(0, "SIGTERM is a graceful shutdown:\n" + a.Output);
        hubs.Incidents.Connection.ConnectedUrl.Port.Should().Be(b.BaseUri.Port);
        received.Should().Equal(published, "every event once, in order, across the fail-over");
        hubs.Incidents.DuplicatesDropped.Should().Be(0);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
