namespace Hubs.Contracts.Publishing;

/// <summary>Response of the publish API: <c>{"message_id"}</c> where the event has a retained position, otherwise <c>{"accepted":true}</c>.</summary>
public sealed record PublishResult(string? MessageId, bool Accepted = true);
