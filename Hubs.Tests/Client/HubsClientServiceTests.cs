using Hubs.Client;
using Hubs.Contracts;
using Hubs.Contracts.Generation;
using Hubs.Contracts.Incidents;
using Hubs.Contracts.Projects;
using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Client;

/// <summary>The typed clients against the real service (Development mode, in-memory), one smoke test per hub.</summary>
public sealed class HubsClientServiceTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private HubsServer _server = null!;
    private HubsClient _hubs = null!;

    public async Task InitializeAsync()
    {
        _server = await HubsServer.StartAsync();
        _hubs = new HubsClient(_server.BaseUri);
    }

    public async Task DisposeAsync()
    {
        await _hubs.DisposeAsync().AsTask().WaitAsync(Patience);
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Generate_TemplateBackend_StreamsEveryAgentThenComplete()
    {
        await _hubs.Generation.StartAsync().WaitAsync(Patience);
        using var timeout = new CancellationTokenSource(Patience);

        var updates = new List<GenerationUpdate>();
        await foreach (var update in _hubs.Generation.Generate(new GenerationRequest("Spring launch post", "alice"), timeout.Token))
        {
            updates.Add(update);
        }

        updates.Where(u => u.Type == GenerationUpdateType.AgentStart).Select(u => u.Agent).Should().Equal(GenerationAgents.Pipeline);
        updates.Should().Contain(u => u.Type == GenerationUpdateType.ContentChunk);
        updates[^1].Type.Should().Be(GenerationUpdateType.Complete);
    }

    [Fact]
    public async Task ProjectUpdated_AfterSubscribe_ReceivesThePublishedUpdate()
    {
        var received = new TaskCompletionSource<ProjectUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        _hubs.Projects.OnProjectUpdated(update => received.TrySetResult(update));
        await _hubs.Projects.StartAsync().WaitAsync(Patience);

        var subscription = await _hubs.Projects.Subscribe("project-1", since: null).WaitAsync(Patience);
        var messageId = await _server.PublishProjectUpdateAsync("project-1", new { progress = 40 });
        var update = await received.Task.WaitAsync(Patience);

        subscription.ProjectId.Should().Be("project-1");
        update.MessageId.Should().Be(messageId);
        update.ProjectId.Should().Be("project-1");
        update.Data.GetProperty("progress").GetInt32().Should().Be(40);
    }

    [Fact]
    public async Task IncidentEvent_MatchingSubscription_ArrivesAndUnknownUnsubscribeThrowsNotFound()
    {
        var received = new TaskCompletionSource<IncidentEventEnvelope>(TaskCreationOptions.RunContinuationsAsynchronously);
        _hubs.Incidents.OnIncidentEvent(envelope => received.TrySetResult(envelope));
        await _hubs.Incidents.StartAsync().WaitAsync(Patience);

        await _hubs.Incidents.Subscribe("critical", new IncidentFilter { Severities = ["P0", "P1"] }, since: null).WaitAsync(Patience);
        var messageId = await _server.PublishIncidentAsync(IncidentEventTypes.IncidentCreated, new Incident { Id = "inc-1", Title = "DB down", Severity = "P1" });
        var envelope = await received.Task.WaitAsync(Patience);
        var unsubscribe = () => _hubs.Incidents.Unsubscribe("no-such-subscription").WaitAsync(Patience);

        envelope.MessageId.Should().Be(messageId);
        envelope.Event.Incident.Title.Should().Be("DB down");
        (await unsubscribe.Should().ThrowAsync<HubInvocationException>()).Which.Code.Should().Be(HubErrorCodes.NotFound);
        _hubs.Incidents.State.Should().Be(HubConnectionState.Connected);
    }

    [Fact]
    public async Task StudyHub_WithoutUser_ServerClosesTheConnectionWithItsError()
    {
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _hubs.Study.Connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };

        await _hubs.Study.StartAsync().WaitAsync(Patience);
        var error = await closed.Task.WaitAsync(Patience);

        error.Should().NotBeNull().And.Subject.As<Exception>().Message.Should().Contain(HubErrorCodes.Unauthorized);
        _hubs.Study.State.Should().Be(HubConnectionState.Disconnected);
    }
}
