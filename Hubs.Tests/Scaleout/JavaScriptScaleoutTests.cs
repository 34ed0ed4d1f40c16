using Hubs.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hubs.Tests.Scaleout;

/// <summary>The real @microsoft/signalr client on one instance, publishing through another, both on one real Redis.</summary>
public sealed class JavaScriptScaleoutTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task JsClientOnA_ReceivesProjectUpdatesPublishedThroughB_InOrder()
    {
        var node = ExternalTool.Require("node");
        var js = Path.Combine(ExternalTool.RepositoryRoot(), "Hubs.Tests", "js");
        string[] settings = [$"Redis:Configuration={redis.ConnectionString}", "Redis:ChannelPrefix=js" + Guid.NewGuid().ToString("N")[..8]];
        await using var a = await ScaleoutConformanceTests.StartInstanceAsync(settings);
        await using var b = await ScaleoutConformanceTests.StartInstanceAsync(settings);

        var result = await ExternalTool.RunAsync(
            node,
            ["--test", "--test-concurrency=1", "--test-reporter=tap", "scaleout.test.mjs"],
            workingDirectory: js,
            environment: new Dictionary<string, string> { ["HUBS_URLS"] = $"{a.BaseUri.ToString().TrimEnd('/')},{b.BaseUri.ToString().TrimEnd('/')}" });
        output.WriteLine(result.Output);

        result.ExitCode.Should().Be(0, "the Node test should pass; the TAP output above says why not");
        result.Output.Should().Contain("# pass 1").And.Contain("# fail 0");
    }
}
