using System.Text.Json;

namespace Hubs.Contracts.Projects;

/// <summary>A message for an agent queue. Wire: <c>{"type":"pm|dev|qa|ops","message_id","project_id","data"}</c>.</summary>
public sealed record ForwardRequest(string Type, string MessageId, string ProjectId, JsonElement Data);
