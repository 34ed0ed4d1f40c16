using System.Text.Json;

namespace Hubs.Contracts.Publishing;

/// <summary>Body of <c>POST /api/projects/{projectId}/updates</c>: <c>{"type"?,"data"}</c>.</summary>
public sealed record PublishProjectUpdateRequest(string? Type, JsonElement Data);
