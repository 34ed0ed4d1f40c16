using System.Text.Json;

namespace Hubs.Contracts.Study;

/// <summary>Wire: <c>{"user_id","state"}</c>.</summary>
public sealed record GameStateUpdate(string UserId, JsonElement State);
