namespace Hubs.Contracts.Study;

/// <summary>Wire: <c>{"user_id"}</c>.</summary>
public sealed record UserDisconnected(string UserId);
