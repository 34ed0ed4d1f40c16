using System.Text.Json;

namespace Hubs.Contracts.Study;

/// <summary>Wire: <c>{"user_id","data"}</c>.</summary>
public sealed record StudyUpdate(string UserId, JsonElement Data);
