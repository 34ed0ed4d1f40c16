namespace Hubs.Server.Generation;

/// <summary>
/// A content back end: streams the text one agent of the pipeline produces. The pipeline owns the
/// agent order and the progress messages; a generator only writes text.
/// </summary>
internal interface IContentGenerator
{
    /// <summary>Streams <paramref name="step"/>'s output in chunks. Must stop promptly when <paramref name="cancellationToken"/> fires.</summary>
    IAsyncEnumerable<string> StreamAsync(GenerationStep step, CancellationToken cancellationToken);
}
