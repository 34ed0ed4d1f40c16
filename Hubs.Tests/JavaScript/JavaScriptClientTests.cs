using Hubs.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hubs.Tests.JavaScript;

/// <summary>
/// Runs the Node test files in Hubs.Tests/js (the real @microsoft/signalr client and raw ws clients) against a
/// real server, so JavaScript clients are covered by the same test command as .NET ones.
/// </summary>
public sealed class JavaScriptClientTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("hubs.test.mjs")]
    [InlineData("clients.test.mjs")]
    [InlineData("typescript.test.mjs")]
    [InlineData("asyncapi.test.mjs")]
    [InlineData("dashboard.test.mjs")]
    [InlineData("legacy.test.mjs")]
    public async Task NodeSuite_AgainstRunningServer_AllTestsPass(string file)
    {
        var node = ExternalTool.Require("node");
        var js = Path.Combine(ExternalTool.RepositoryRoot(), "Hubs.Tests", "js");
        Directory.Exists(Path.Combine(js, "node_modules", "@microsoft", "signalr")).Should().BeTrue(
            "the JS dependencies must be installed (./scripts/test.sh runs npm ci in Hubs.Tests/js)");

        await using var server = await HubsServer.StartAsync();
        var result = await ExternalTool.RunAsync(
            node,
            ["--test", "--test-concurrency=1", "--test-reporter=tap", file],
            workingDirectory: js,
            environment: new Dictionary<string, string> { ["HUBS_URL"] = server.BaseUri.ToString().TrimEnd('/') });
        output.WriteLine(result.Output);

        result.ExitCode.Should().Be(0, "every Node test should pass; the TAP output above names the failing one");
        result.Output.Should().MatchRegex(@"# pass [1-9]\d*").And.Contain("# fail 0");
    }

    [Fact]
    public async Task ResumeHelper_FailoverToAnotherInstance_AllTestsPass()
    {
        var node = ExternalTool.Require("node");
        var js = Path.Combine(ExternalTool.RepositoryRoot(), "Hubs.Tests", "js");
        await using var servers = await Resume.TwinServers.StartAsync();
        await using var control = await Resume.TwinServersControl.StartAsync(servers);
        var result = await ExternalTool.RunAsync(
            node,
            ["--test", "--test-concurrency=1", "--test-reporter=tap", "resume.test.mjs"],
            workingDirectory: js,
            environment: new Dictionary<string, string>
            {
                ["HUBS_URL_A"] = servers.A.BaseUri.ToString().TrimEnd('/'),
                ["HUBS_URL_B"] = servers.B.BaseUri.ToString().TrimEnd('/'),
                ["HUBS_CONTROL"] = control.BaseUri.ToString().TrimEnd('/'),
            });
        output.WriteLine(result.Output);

        result.ExitCode.Should().Be(0, "every Node test should pass; the TAP output above names the failing one");
        result.Output.Should().MatchRegex(@"# pass [1-9]\d*").And.Contain("# fail 0");
    }
}
