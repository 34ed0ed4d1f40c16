namespace Hubs.Server.Observability;

/// <summary>The <c>Otlp</c> configuration section. OTLP export is on only when <see cref="Endpoint"/> is set.</summary>
internal sealed class OtlpOptions
{
    public const string SectionName = "Otlp";

    public const string Grpc = "grpc";

    public const string HttpProtobuf = "http/protobuf";

    /// <summary>The collector's base address, e.g. <c>http://otel-collector:4318</c> (http/protobuf) or <c>:4317</c> (grpc).</summary>
    public Uri? Endpoint { get; set; }

    public string Protocol { get; set; } = HttpProtobuf;

    public int ExportIntervalMilliseconds { get; set; } = 15000;
}
