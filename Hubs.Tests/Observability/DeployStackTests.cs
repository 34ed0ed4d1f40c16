using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hubs.Contracts;
using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Observability;

/// <summary>
/// docker-compose.yml, the Kubernetes manifests, nginx.conf and the Dockerfile: parsed and cross-checked offline,
/// and nginx run for real in front of two instances, alone and joined by a real Redis backplane.
/// </summary>
public sealed partial class DeployStackTests
{
    [Fact]
    public async Task Compose_DefinesRedisTwoHubsNginxPrometheusGrafana()
    {
        var compose = (await DeployFiles.ReadYamlAsync(DeployFiles.Path("docker-compose.yml")))[0];
        var services = compose.GetProperty("services");

        services.EnumerateObject().Select(s => s.Name).Should().BeEquivalentTo(["redis", "hubs1", "hubs2", "nginx", "prometheus", "grafana"]);
        foreach (var hub in new[] { "hubs1", "hubs2" })
        {
            var service = services.GetProperty(hub);
            var environment = service.GetProperty("environment");
            environment.GetProperty("Redis__Configuration").GetString().Should().Be("redis:6379");
            environment.GetProperty("Observability__Instance").GetString().Should().Be(hub);
            environment.TryGetProperty("Jwt__SigningKey", out _).Should().BeTrue("production refuses to start without a signing key");
            service.GetProperty("stop_grace_period").GetString().Should().Be("40s", "docker must wait longer than the 25 s shutdown drain before SIGKILL");
            File.Exists(Path.Combine(DeployFiles.Path(), service.GetProperty("build").GetProperty("context").GetString()!, service.GetProperty("build").GetProperty("dockerfile").GetString()!))
                .Should().BeTrue("the build must point at deploy/Dockerfile from the repository root");
        }

        services.GetProperty("nginx").GetProperty("depends_on").GetProperty("hubs1").GetProperty("condition").GetString().Should().Be("service_healthy");
        var mounts = services.EnumerateObject()
            .Where(s => s.Value.TryGetProperty("volumes", out _))
            .SelectMany(s => s.Value.GetProperty("volumes").EnumerateArray().Select(v => v.GetString()!))
            .Where(v => v.StartsWith("./", StringComparison.Ordinal))
            .Select(v => v.Split(':')[0])
            .ToList();
        mounts.Should().Contain(["./nginx/nginx.conf", "./prometheus", "./grafana/provisioning", "./grafana/dashboards"]);
        foreach (var mount in mounts)
        {
            Path.Exists(Path.Combine(DeployFiles.Path(), mount)).Should().BeTrue($"compose mounts {mount}");
        }
    }

    [Fact]
    public async Task Kubernetes_ManifestsAreWellFormedAndConsistent()
    {
        var kustomization = (await DeployFiles.ReadYamlAsync(DeployFiles.Path("k8s", "kustomization.yaml")))[0];
        var documents = new List<JsonElement>();
        foreach (var resource in kustomization.GetProperty("resources").EnumerateArray())
        {
            documents.AddRange(await DeployFiles.ReadYamlAsync(DeployFiles.Path("k8s", resource.GetString()!)));
        }

        foreach (var document in documents)
        {
            document.GetProperty("apiVersion").GetString().Should().NotBeNullOrEmpty();
            document.GetProperty("metadata").GetProperty("name").GetString().Should().NotBeNullOrEmpty();
        }

        JsonElement Kind(string kind) => documents.Single(d => d.GetProperty("kind").GetString() == kind);
        var deployment = Kind("Deployment");
        var labels = deployment.GetProperty("spec").GetProperty("template").GetProperty("metadata").GetProperty("labels");
        bool Selects(JsonElement selector) => selector.EnumerateObject().All(l => labels.TryGetProperty(l.Name, out var v) && v.GetString() == l.Value.GetString());
        Selects(deployment.GetProperty("spec").GetProperty("selector").GetProperty("matchLabels")).Should().BeTrue();
        Selects(Kind("Service").GetProperty("spec").GetProperty("selector")).Should().BeTrue();
        Selects(Kind("PodDisruptionBudget").GetProperty("spec").GetProperty("selector").GetProperty("matchLabels")).Should().BeTrue();

        var container = deployment.GetProperty("spec").GetProperty("template").GetProperty("spec").GetProperty("containers")[0];
        container.GetProperty("readinessProbe").GetProperty("httpGet").GetProperty("path").GetString().Should().Be("/health");
        container.GetProperty("livenessProbe").GetProperty("httpGet").GetProperty("path").GetString().Should().StartWith("/health");
        var envFrom = container.GetProperty("envFrom").EnumerateArray().ToList();
        envFrom.Select(e => e.TryGetProperty("configMapRef", out var c) ? c.GetProperty("name").GetString() : null)
            .Should().Contain(Kind("ConfigMap").GetProperty("metadata").GetProperty("name").GetString());
        envFrom.Select(e => e.TryGetProperty("secretRef", out var s) ? s.GetProperty("name").GetString() : null)
            .Should().Contain(Kind("Secret").GetProperty("metadata").GetProperty("name").GetString());
        Kind("Secret").GetProperty("stringData").TryGetProperty("Jwt__SigningKey", out _).Should().BeTrue();
        Kind("Secret").GetProperty("stringData").TryGetProperty("Redis__Configuration", out _).Should().BeTrue();

        var hpa = Kind("HorizontalPodAutoscaler").GetProperty("spec");
        hpa.GetProperty("scaleTargetRef").GetProperty("name").GetString().Should().Be(deployment.GetProperty("metadata").GetProperty("name").GetString());
        hpa.GetProperty("metrics").EnumerateArray()
            .Where(m => m.GetProperty("type").GetString() == "Pods")
            .Select(m => m.GetProperty("pods").GetProperty("metric").GetProperty("name").GetString())
            .Should().Contain("websocket_active_connections");
    }

    [Fact]
    public async Task NginxConfig_NginxTest_Passes()
    {
        var prefix = Path.Combine(Path.GetTempPath(), "hubs-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(prefix);
        try
        {
            var config = await NginxProcess.WriteConfigAsync(prefix, listenPort: 1, 2, 3);
            var result = await ExternalTool.RunAsync(
                ExternalTool.Require("nginx"), ["-t", "-p", prefix, "-c", config, "-e", "stderr", "-g", $"pid {prefix}/nginx.pid;"]);

            result.ExitCode.Should().Be(0, result.Output);
        }
        finally
        {
            Directory.Delete(prefix, recursive: true);
        }
    }

    [Fact]
    public async Task Nginx_InFrontOfTwoInstances_UpgradesWebSocketsAndKeepsAClientOnOneInstance()
    {
        await using var first = await HubsServer.StartAsync();
        await using var second = await HubsServer.StartAsync();
        await using var nginx = await NginxProcess.StartAsync(first, second);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var uri = new Uri(nginx.WebSocketBase, HubRoutes.Projects);

        await using var a = await RawHubConnection.ConnectAsync(uri, cts.Token);
        var subscribed = await a.InvokeAsync("Subscribe", ["p1", null], cts.Token);
        subscribed.TryGetProperty("error", out _).Should().BeFalse(subscribed.ToString());
        await using var b = await RawHubConnection.ConnectAsync(uri, cts.Token);
        await b.InvokeAsync("Subscribe", ["p2", null], cts.Token);

        var counts = new[] { await ActiveConnectionsAsync(first), await ActiveConnectionsAsync(second) };
        counts.Should().BeEquivalentTo([0, 2], "ip_hash sends one client address to one instance");
        (await nginx.Http.GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.NotFound, "metrics are scraped per instance, not through the balancer");
        (await nginx.Http.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Nginx_TwoInstancesWithRedis_SignalRAndLegacyClientsGetWhatTheOtherInstancePublished()
    {
        await using var redis = new RedisServerFixture();
        await redis.StartAsync();
        string[] settings = [$"Redis:Configuration={redis.ConnectionString}", $"Redis:ChannelPrefix=nginx-{Guid.NewGuid():N}"];
        await using var first = await HubsServer.StartAsync(settings);
        await using var second = await HubsServer.StartAsync(settings);
        await using var nginx = await NginxProcess.StartAsync(first, second);

        var received = new TaskCompletionSource<Contracts.Projects.ProjectUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hubs = new Hubs.Client.HubsClient(nginx.HttpBase);
        hubs.Projects.OnProjectUpdated(update => received.TrySetResult(update));
        await hubs.Projects.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await hubs.Projects.Subscribe("p-nginx", since: null).WaitAsync(TimeSpan.FromSeconds(30));
        await using var legacy = await Legacy.LegacySocket.ConnectAsync(new Uri(nginx.WebSocketBase, "/ws/projects"));
        (await legacy.NextAsync()).GetProperty("type").GetString().Should().Be("connected");
        await legacy.SendAsync(new { action = "subscribe", project_id = "p-nginx" });
        (await legacy.NextAsync()).GetProperty("type").GetString().Should().Be("subscription_confirmed");

        // Both clients sit on the instance nginx picked for 127.0.0.1; publish on the other one.
        var holder = await ActiveConnectionsAsync(first) > 0 ? first : second;
        var other = holder == first ? second : first;
        (await ActiveConnectionsAsync(other)).Should().Be(0);
        var messageId = await other.PublishProjectUpdateAsync("p-nginx", new { step = "deployed" });

        var update = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        update.MessageId.Should().Be(messageId);
        var pushed = await legacy.NextAsync();
        pushed.GetProperty("type").GetString().Should().Be("project_updated");
        pushed.GetProperty("project_id").GetString().Should().Be("p-nginx");
        pushed.GetProperty("data").GetProperty("step").GetString().Should().Be("deployed");
    }

    [Fact]
    public async Task Dockerfile_MultiStageNonRootWithHealthcheckOnHealth()
    {
        var dockerfile = await File.ReadAllTextAsync(DeployFiles.Path("Dockerfile"));

        dockerfile.Should().MatchRegex(@"(?m)^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$");
        dockerfile.Should().MatchRegex(@"(?m)^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0 AS runtime$");
        dockerfile.Should().MatchRegex(@"(?m)^USER \$APP_UID$");
        dockerfile.Should().Contain("ENTRYPOINT [\"dotnet\", \"Hubs.Server.dll\"]");
        File.Exists(Path.Combine(AppContext.BaseDirectory, "Hubs.Server.dll")).Should().BeTrue("the entry point names the server assembly");
        foreach (Match copy in CopySource().Matches(dockerfile))
        {
            foreach (var source in copy.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            {
                Path.Exists(Path.Combine(ExternalTool.RepositoryRoot(), source)).Should().BeTrue($"the Dockerfile copies {source}");
            }
        }
    }

    [Fact]
    public async Task DockerHealthcheck_Command_SucceedsAgainstARunningInstance()
    {
        await using var server = await HubsServer.StartAsync();
        var dockerfile = await File.ReadAllTextAsync(DeployFiles.Path("Dockerfile"));
        var command = JsonSerializer.Deserialize<string[]>(HealthcheckCommand().Match(dockerfile.Replace("\\\n", string.Empty, StringComparison.Ordinal)).Groups[1].Value)!;
        command[0].Should().Be("bash");
        var script = command[2].Replace("/8080", "/" + server.BaseUri.Port, StringComparison.Ordinal);

        var result = await ExternalTool.RunAsync("/bin/bash", ["-c", script]);

        result.ExitCode.Should().Be(0, result.Output);
        (await ExternalTool.RunAsync("/bin/bash", ["-c", script.Replace("/health", "/nope", StringComparison.Ordinal)])).ExitCode.Should().NotBe(0, "the probe must tell a non-200 apart");
    }

    private static async Task<double> ActiveConnectionsAsync(HubsServer server) =>
        MetricsScrape.Parse(await server.Http.GetStringAsync("/metrics")).Value("websocket_active_connections");

    [GeneratedRegex(@"(?m)^COPY (?!--from)(.+)$")]
    private static partial Regex CopySource();

    [GeneratedRegex(@"HEALTHCHECK [^\n]*?CMD (\[.*\])")]
    private static partial Regex HealthcheckCommand();
}
