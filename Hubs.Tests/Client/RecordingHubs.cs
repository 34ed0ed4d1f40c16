using System.Runtime.CompilerServices;
using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Generation;
using Hubs.Contracts.Incidents;
using Hubs.Contracts.Projects;
using Hubs.Contracts.Study;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Tests.Client;

// Hubs implementing the Contracts server interfaces that only record what they were called with. They derive
// from the untyped Hub so TriggerCallback can send any callback by its wire name.

/// <summary>Shared by the recording hubs: record a call, send a callback on request.</summary>
internal abstract class RecordingHub(ServerObservations observations) : Hub
{
    protected ServerObservations Observations { get; } = observations;

    /// <summary>Sends the callback <paramref name="method"/> with <paramref name="argument"/> to the caller.</summary>
    public Task TriggerCallback(string method, JsonElement argument) => Clients.Caller.SendAsync(method, argument);

    protected void Record(string method, params object?[] args) =>
        Observations.Record(method + " " + string.Join(" ", args.Select(ContractSamples.Wire)));
}

internal sealed class RecordingGenerationHub(ServerObservations observations) : RecordingHub(observations), IGenerationHub
{
    public async IAsyncEnumerable<GenerationUpdate> Generate(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Record(nameof(Generate), request);
        await Task.Yield();
        yield return new GenerationUpdate(GenerationUpdateType.AgentStart, GenerationAgents.Research, "started", null, DateTimeOffset.UnixEpoch);
        yield return new GenerationUpdate(GenerationUpdateType.Complete, null, null, "done", DateTimeOffset.UnixEpoch);
    }
}

internal sealed class RecordingProjectsHub(ServerObservations observations) : RecordingHub(observations), IProjectsHub
{
    public Task<ProjectSubscription> Subscribe(string projectId, string? since)
    {
        Record(nameof(Subscribe), projectId, since);
        return Task.FromResult(new ProjectSubscription(projectId, Replayed: 2));
    }

    public Task<ProjectSubscription> Unsubscribe(string projectId)
    {
        Record(nameof(Unsubscribe), projectId);
        return Task.FromResult(new ProjectSubscription(projectId));
    }

    public Task<ForwardResult> Forward(ForwardRequest request)
    {
        Record(nameof(Forward), request);
        return Task.FromResult(new ForwardResult(request.MessageId, request.Type, "1-0"));
    }
}

internal sealed class RecordingIncidentsHub(ServerObservations observations) : RecordingHub(observations), IIncidentsHub
{
    public Task<IncidentSubscription> Subscribe(string subscriptionId, IncidentFilter filter, string? since)
    {
        Record(nameof(Subscribe), subscriptionId, filter, since);
        return Task.FromResult(new IncidentSubscription(subscriptionId, filter));
    }

    public Task<IncidentUnsubscription> Unsubscribe(string subscriptionId)
    {
        Record(nameof(Unsubscribe), subscriptionId);
        return Task.FromResult(new IncidentUnsubscription(subscriptionId));
    }

    public Task Ack(string messageId)
    {
        Record(nameof(Ack), messageId);
        return Task.CompletedTask;
    }
}

internal sealed class RecordingStudyHub(ServerObservations observations) : RecordingHub(observations), IStudyHub
{
    public Task SendChat(string message, string? timestamp)
    {
        Record(nameof(SendChat), message, timestamp);
        return Task.CompletedTask;
    }

    public Task UpdateStudy(JsonElement data)
    {
        Record(nameof(UpdateStudy), data);
        return Task.CompletedTask;
    }

    public Task UpdateGameState(JsonElement state)
    {
        Record(nameof(UpdateGameState), state);
        return Task.CompletedTask;
    }
}
