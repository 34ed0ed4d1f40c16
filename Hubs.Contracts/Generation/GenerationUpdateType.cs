using System.Text.Json.Serialization;

namespace Hubs.Contracts.Generation;

/// <summary>The kinds of generation progress. Wire values are fixed by the legacy protocol; do not change them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GenerationUpdateType>))]
public enum GenerationUpdateType
{
    [JsonStringEnumMemberName("agent_start")]
    AgentStart = 0,

    [JsonStringEnumMemberName("content_chunk")]
    ContentChunk = 1,

    [JsonStringEnumMemberName("agent_complete")]
    AgentComplete = 2,

    [JsonStringEnumMemberName("complete")]
    Complete = 3,

    [JsonStringEnumMemberName("error")]
    Error = 4,
}
