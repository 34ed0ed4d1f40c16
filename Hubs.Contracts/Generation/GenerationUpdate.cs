namespace Hubs.Contracts.Generation;

/// <summary>
/// One step of a generation stream. Wire: <c>{"type","agent"?,"message"?,"content"?,"timestamp"}</c>,
/// the same fields the legacy <c>/ws/stream-generation</c> protocol sends.
/// </summary>
public sealed record GenerationUpdate(
    GenerationUpdateType Type,
    string? Agent,
    string? Message,
    string? Content,
    DateTimeOffset Timestamp);
