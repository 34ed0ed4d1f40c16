namespace Hubs.Contracts.Study;

/// <summary>Wire: <c>{"user_id","message","timestamp"}</c>.</summary>
public sealed record ChatMessage(string UserId, string Message, string Timestamp);
