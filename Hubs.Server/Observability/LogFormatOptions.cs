namespace Hubs.Server.Observability;

/// <summary><c>Logging:Format</c>: <c>json</c> (structured, one object per line; the default outside Development) or <c>simple</c>.</summary>
internal sealed class LogFormatOptions
{
    public const string SectionName = "Logging";

    public const string Json = "json";

    public const string Simple = "simple";

    /// <summary>Null picks by environment: <c>simple</c> in Development, <c>json</c> elsewhere.</summary>
    public string? Format { get; set; }
}
