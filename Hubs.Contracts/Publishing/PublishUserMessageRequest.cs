using System.Text.Json;

namespace Hubs.Contracts.Publishing;

/// <summary>Body of <c>POST /api/users/{userId}/messages</c>: <c>{"type"?,"data"}</c>.</summary>
public sealed record PublishUserMessageRequest(string? Type, JsonElement Data);
