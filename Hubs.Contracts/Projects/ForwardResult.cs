namespace Hubs.Contracts.Projects;

/// <summary>A forwarded message was appended to its queue. Wire: <c>{"message_id","queue","position"}</c>.</summary>
/// <param name="MessageId">The caller's message id, echoed.</param>
/// <param name="Queue">The queue it went to.</param>
/// <param name="Position">Its position in the queue's stream.</param>
public sealed record ForwardResult(string MessageId, string Queue, string Position);
