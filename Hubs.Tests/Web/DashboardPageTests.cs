using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Hubs.Contracts;
using Hubs.Contracts.Incidents;
using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Web;

/// <summary>The page and its assets at <c>/</c>, and the live counters it shows (<c>GET /api/stats</c>).</summary>
public sealed class DashboardPageTests : IAsyncLifetime
{
    private HubsServer _server = null!;

    public async Task InitializeAsync() => _server = await HubsServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Root_Get_ServesTheDashboardWithAContentSecurityPolicy()
    {
        using var response = await _server.Http.GetAsync("/");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("<main id=\"main\"").And.Contain("lib/signalr/signalr.min.js").And.Contain("js/dashboard.js");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'");
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
    }

    [Theory]
    [InlineData("/lib/signalr/signalr.min.js", "text/javascript")]
    [InlineData("/js/dashboard.js", "text/javascript")]
    [InlineData("/js/hubs/index.js", "text/javascript")]
    [InlineData("/js/hubs/incidents.js", "text/javascript")]
    [InlineData("/css/dashboard.css", "text/css")]
    public async Task Asset_Get_IsServedWithItsContentType(string path, string mediaType)
    {
        using var response = await _server.Http.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        response.Content.Headers.ContentType!.MediaType.Should().Be(mediaType);
    }

    [Fact]
    public void VendoredSignalR_IsTheNpmPackageTheJavaScriptTestsUse()
    {
        var root = ExternalTool.RepositoryRoot();
        var npm = Path.Combine(root, "Hubs.Tests", "js", "node_modules", "@microsoft", "signalr");
        Directory.Exists(npm).Should().BeTrue("the JS dependencies must be installed (./scripts/test.sh runs npm ci in Hubs.Tests/js)");
        var version = JsonNode.Parse(File.ReadAllText(Path.Combine(npm, "package.json")))!["version"]!.GetValue<string>();

        var vendored = File.ReadAllText(Path.Combine(root, "Hubs.Server", "wwwroot", "lib", "signalr", "signalr.min.js"));
        var header = vendored[..vendored.IndexOf('\n', StringComparison.Ordinal)];

        header.Should().Contain($"@microsoft/signalr {version}").And.Contain("MIT License", "the license header is kept");
        vendored[(header.Length + 1)..].Should().Be(File.ReadAllText(Path.Combine(npm, "dist", "browser", "signalr.min.js")),
            "the browser runs the same client build the Node tests run; to update: copy dist/browser/signalr.min.js below the header");
    }

    [Fact]
    public async Task Stats_HubConnectionsAndPublishedEvents_AreCounted()
    {
        var before = await StatsAsync();
        before["connections"]!["incidents"]!.GetValue<long>().Should().Be(0);
        before["instance"]!.GetValue<string>().Should().NotBeNullOrEmpty();

        using (var socket = await ConnectHubAsync(HubRoutes.Incidents))
        {
            await EventuallyAsync(s => s["connections"]!["incidents"]!.GetValue<long>() == 1, "an incidents connection is counted");
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        await EventuallyAsync(s => s["connections"]!["incidents"]!.GetValue<long>() == 0, "a closed connection is no longer counted");

        await _server.PublishIncidentAsync(IncidentEventTypes.IncidentCreated, new Incident { Id = "stats-1", Severity = "P2" });
        await _server.PublishProjectUpdateAsync("stats-project", new { n = 1 });
        await EventuallyAsync(s => s["incident_events"]!.GetValue<long>() == 1 && s["project_updates"]!.GetValue<long>() == 1, "published events are counted");
    }

    [Fact]
    public async Task Stats_GenerationStream_IsRunningUntilItCompletes()
    {
        using var socket = await ConnectHubAsync(HubRoutes.Generation);
        await SendAsync(socket, """{"type":4,"invocationId":"1","target":"Generate","arguments":[{"prompt":"count me","user_id":"stats"}]}""");

        // Read until the stream's completion (type 3).
        while (true)
        {
            var frames = await ReceiveAsync(socket);
            if (frames.Any(f => JsonNode.Parse(f)!["type"]!.GetValue<int>() == 3))
            {
                break;
            }
        }

        await EventuallyAsync(s => s["generations_started"]!.GetValue<long>() == 1 && s["generations_running"]!.GetValue<long>() == 0, "a finished generation is counted and no longer running");
    }

    private async Task<JsonNode> StatsAsync() => (await _server.Http.GetFromJsonAsync<JsonNode>("/api/stats"))!;

    private async Task EventuallyAsync(Func<JsonNode, bool> condition, string because)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        JsonNode stats;
        while (!condition(stats = await StatsAsync()))
        {
            if (timeout.IsCancellationRequested)
            {
                throw new Xunit.Sdk.XunitException($"Expected {because}; /api/stats says {stats.ToJsonString()}");
            }

            await Task.Delay(20);
        }
    }

    private async Task<ClientWebSocket> ConnectHubAsync(string route)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(_server.WebSocketUri(route), CancellationToken.None);
        await SendAsync(socket, """{"protocol":"json","version":1}""");
        var handshake = await ReceiveAsync(socket);
        handshake.Should().Equal(["{}"], "the SignalR handshake succeeds");
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json + '\u001e'), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<string[]> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return Encoding.UTF8.GetString(message.ToArray()).Split('\u001e', StringSplitOptions.RemoveEmptyEntries);
    }
}
