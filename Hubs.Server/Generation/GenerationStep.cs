using Hubs.Contracts.Generation;

namespace Hubs.Server.Generation;

/// <summary>One agent's turn: the request, and what the agents before it wrote.</summary>
internal sealed record GenerationStep(string Agent, GenerationRequest Request, IReadOnlyList<string> PreviousOutputs);
