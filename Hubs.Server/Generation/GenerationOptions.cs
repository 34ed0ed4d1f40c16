namespace Hubs.Server.Generation;

/// <summary>Configuration section <c>Generation</c>.</summary>
internal sealed class GenerationOptions
{
    public const string SectionName = "Generation";

    /// <summary><c>Template</c> (default) or <c>OpenAi</c>.</summary>
    public GenerationBackend Backend { get; set; } = GenerationBackend.Template;

    /// <summary>Template back end: pause between chunks, so a stream looks like one (0 = as fast as possible).</summary>
    public TimeSpan TemplateChunkDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>OpenAI back end: base URL without <c>/v1</c>, e.g. <c>https://api.openai.com</c>.</summary>
    public Uri? OpenAiBaseUrl { get; set; }

    /// <summary>OpenAI back end: bearer key (optional for local servers).</summary>
    public string? OpenAiApiKey { get; set; }

    /// <summary>OpenAI back end: model name.</summary>
    public string? OpenAiModel { get; set; }

    /// <summary>OpenAI back end: how long one agent's call may take in total.</summary>
    public TimeSpan OpenAiTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
