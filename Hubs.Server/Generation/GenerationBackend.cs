namespace Hubs.Server.Generation;

/// <summary>Which <see cref="IContentGenerator"/> serves generations (<c>Generation:Backend</c>).</summary>
internal enum GenerationBackend
{
    /// <summary>Deterministic offline templates: no network, the default.</summary>
    Template = 0,

    /// <summary>An OpenAI-compatible <c>/v1/chat/completions</c> endpoint with streaming (SSE).</summary>
    OpenAi = 1,
}
