using Hubs.Client.Generation;
using Hubs.Client.Incidents;
using Hubs.Client.Projects;
using Hubs.Client.Study;
using Hubs.Contracts;

namespace Hubs.Client;

/// <summary>
/// The entry point: one typed client per hub of a Hubs server, created on first use, each with its own connection.
/// </summary>
/// <example>
/// <code>
/// await using var hubs = new HubsClient(new Uri("http://127.0.0.1:5000"), options =>
///     options.AccessTokenProvider = _ => ValueTask.FromResult&lt;string?&gt;(token));
/// await hubs.Projects.StartAsync(ct);
/// hubs.Projects.OnProjectUpdated(update => Console.WriteLine(update.Data));
/// await hubs.Projects.Subscribe("project-1", since: null, ct);
/// </code>
/// </example>
public sealed class HubsClient : IAsyncDisposable
{
    private readonly Uri[] _baseUrls;
    private readonly Action<HubConnectionOptions>? _configure;
    private readonly Lazy<GenerationClient> _generation;
    private readonly Lazy<ProjectsClient> _projects;
    private readonly Lazy<IncidentsClient> _incidents;
    private readonly Lazy<StudyClient> _study;

    /// <summary>Creates the entry point; nothing connects until a typed client's <c>StartAsync</c>.</summary>
    /// <param name="baseUrl">The server's base URL, e.g. <c>http://127.0.0.1:5000</c> (a path prefix is kept).</param>
    /// <param name="configure">
    /// Applied to the options of every hub connection (token provider, headers, timeouts, retry policy).
    /// <see cref="HubConnectionOptions.Url"/> is the hub's URL (from <see cref="HubRoutes"/>); a value set here is ignored.
    /// </param>
    public HubsClient(Uri baseUrl, Action<HubConnectionOptions>? configure = null)
        : this([baseUrl ?? throw new ArgumentNullException(nameof(baseUrl))], configure)
    {
    }

    /// <summary>
    /// Creates the entry point for several instances of one service: each connection starts on the first URL and
    /// every further connect attempt (after a lost connection, or a failed attempt) goes to the next one, round
    /// robin, so a client whose instance dies or drains reconnects to another and its subscriptions resume there.
    /// </summary>
    /// <param name="baseUrls">The servers' base URLs, in the order to try them.</param>
    /// <param name="configure">As for the single-URL constructor; a <see cref="HubConnectionOptions.UrlProvider"/> set here is replaced.</param>
    public HubsClient(IReadOnlyList<Uri> baseUrls, Action<HubConnectionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrls);
        if (baseUrls.Count == 0)
        {
            throw new ArgumentException("At least one base URL is required.", nameof(baseUrls));
        }

        foreach (var baseUrl in baseUrls)
        {
            ArgumentNullException.ThrowIfNull(baseUrl, nameof(baseUrls));
            if (!baseUrl.IsAbsoluteUri)
            {
                throw new ArgumentException($"The base URL must be absolute (was '{baseUrl}').", nameof(baseUrls));
            }
        }

        _baseUrls = [.. baseUrls];
        _configure = configure;
        _generation = new(() => new GenerationClient(CreateConnection(HubRoutes.Generation)));
        _projects = new(() => new ProjectsClient(CreateConnection(HubRoutes.Projects)));
        _incidents = new(() => new IncidentsClient(CreateConnection(HubRoutes.Incidents)));
        _study = new(() => new StudyClient(CreateConnection(HubRoutes.Study)));
    }

    /// <summary>The client of <c>/hubs/generation</c>.</summary>
    public GenerationClient Generation => _generation.Value;

    /// <summary>The client of <c>/hubs/projects</c>.</summary>
    public ProjectsClient Projects => _projects.Value;

    /// <summary>The client of <c>/hubs/incidents</c>.</summary>
    public IncidentsClient Incidents => _incidents.Value;

    /// <summary>The client of <c>/hubs/study</c>.</summary>
    public StudyClient Study => _study.Value;

    /// <summary>Creates a connection to any path of the server with the shared options, for hubs without a typed client.</summary>
    public HubConnection CreateConnection(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var urls = _baseUrls.Select(b => HubUrl(b, path)).ToArray();
        var options = new HubConnectionOptions { Url = urls[0] };
        _configure?.Invoke(options);
        options.Url = urls[0];
        if (urls.Length > 1)
        {
            options.UrlProvider = attempt => urls[attempt % urls.Length];
        }

        return new HubConnection(options);
    }

    /// <summary>Stops and disposes the typed clients created so far.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_generation.IsValueCreated)
        {
            await _generation.Value.DisposeAsync().ConfigureAwait(false);
        }

        if (_projects.IsValueCreated)
        {
            await _projects.Value.DisposeAsync().ConfigureAwait(false);
        }

        if (_incidents.IsValueCreated)
        {
            await _incidents.Value.DisposeAsync().ConfigureAwait(false);
        }

        if (_study.IsValueCreated)
        {
            await _study.Value.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static Uri HubUrl(Uri baseUrl, string path) =>
        new UriBuilder(baseUrl) { Path = baseUrl.AbsolutePath.TrimEnd('/') + "/" + path.TrimStart('/') }.Uri;
}
