using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Generation;
using Hubs.Contracts.Incidents;
using Hubs.Contracts.Projects;
using Hubs.Contracts.Study;

namespace Hubs.Tests.Client;

/// <summary>
/// A sample value for every type used by a hub or callback interface. A contract that gains a new type fails the
/// no-drift tests here until a sample is added, so the new member cannot slip through untested.
/// </summary>
internal static class ContractSamples
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static JsonElement Json => JsonDocument.Parse("""{"k":1,"nested":{"a":[1,2]}}""").RootElement;

    public static object For(Type type) => type switch
    {
        _ when type == typeof(string) => "sample-1",
        _ when type == typeof(JsonElement) => Json,
        _ when type == typeof(GenerationRequest) => new GenerationRequest("write about tides", "user-1", "brand-1"),
        _ when type == typeof(ForwardRequest) => new ForwardRequest(AgentQueues.Developer, "m-1", "p-1", Json),
        _ when type == typeof(IncidentFilter) => new IncidentFilter { Severities = ["P0", "P1"], Labels = new Dictionary<string, string> { ["team"] = "core" } },
        _ when type == typeof(ProjectUpdate) => new ProjectUpdate(ProjectUpdate.DefaultType, "p-1", Json, "17-0", Epoch),
        _ when type == typeof(IncidentEventEnvelope) => new IncidentEventEnvelope(
            "42-0",
            new IncidentEvent(IncidentEventTypes.IncidentCreated, new Incident { Id = "inc-1", Severity = "P1", AffectedResources = ["db"] }, "high"),
            Epoch),
        _ when type == typeof(ChatMessage) => new ChatMessage("user-1", "hello", "2024-01-01T00:00:00Z"),
        _ when type == typeof(StudyUpdate) => new StudyUpdate("user-1", Json),
        _ when type == typeof(GameStateUpdate) => new GameStateUpdate("user-1", Json),
        _ when type == typeof(UserDisconnected) => new UserDisconnected("user-1"),
        _ when type == typeof(UserNotification) => new UserNotification(UserNotification.DefaultType, Json),
        _ => throw new InvalidOperationException($"No sample for {type}: a contract gained a type; add a sample to {nameof(ContractSamples)}."),
    };

    /// <summary>The wire JSON of a value, for comparing what was sent with what arrived.</summary>
    public static string Wire(object? value) => JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object), HubsJson.Options);
}
