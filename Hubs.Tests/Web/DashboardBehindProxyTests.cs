using Hubs.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hubs.Tests.Web;

/// <summary>
/// The dashboard in headless Chromium behind nginx round-robin over two instances (no sticky sessions): hub
/// connections skip negotiation, so a connection is a single request and any instance can take it.
/// </summary>
public sealed class DashboardBehindProxyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Dashboard_TwoInstancesBehindNginx_EveryPageLoadConnectsAndStreams()
    {
        var node = ExternalTool.Require("node");
        var js = Path.Combine(ExternalTool.RepositoryRoot(), "Hubs.Tests", "js");
        Directory.Exists(Path.Combine(js, "node_modules", "playwright-core")).Should().BeTrue(
            "the JS dependencies must be installed (./scripts/test.sh runs npm ci in Hubs.Tests/js)");

        await using var first = await HubsServer.StartAsync();
        await using var second = await HubsServer.StartAsync();
        var result = await ExternalTool.RunAsync(
            node,
            ["--test", "--test-concurrency=1", "--test-reporter=tap", "dashboard-instances.test.mjs"],
            workingDirectory: js,
            environment: new Dictionary<string, string>
            {
                ["HUBS_URLS"] = string.Join(',', new[] { first, second }.Select(s => s.BaseUri.ToString().TrimEnd('/'))),
            });
        output.WriteLine(result.Output);

        result.ExitCode.Should().Be(0, "every Node test should pass; the TAP output above names the failing one");
        result.Output.Should().MatchRegex(@"# pass [1-9]\d*").And.Contain("# fail 0");
    }
}
