namespace Hubs.Server.Schema;

/// <summary>
/// A server method or client callback. <see cref="Result"/> is null for <c>Task</c>; <see cref="IsStream"/> means the
/// method returns <c>IAsyncEnumerable</c> of <see cref="Result"/> (invoked with <c>stream</c>, not <c>invoke</c>).
/// </summary>
internal sealed record ContractMethod(string Name, IReadOnlyList<ContractParameter> Parameters, WireType? Result, bool IsStream, string? Doc);
