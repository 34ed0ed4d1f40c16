using System.Text.Json;
using System.Text.RegularExpressions;
using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Observability;

/// <summary>The Prometheus config, alert rules and dashboard, checked by promtool and against what the service exports.</summary>
public sealed partial class AlertRulesTests
{
    [Fact]
    public async Task AlertRules_PromtoolCheckRules_Valid()
    {
        var result = await Promtool.RunAsync("check", "rules", DeployFiles.Path("prometheus", "alerts.yml"));
        result.ExitCode.Should().Be(0, result.Output);
    }

    [Fact]
    public async Task AlertRules_PromtoolUnitTests_Pass()
    {
        var result = await Promtool.RunAsync("test", "rules", DeployFiles.Path("prometheus", "alerts.test.yml"));
        result.ExitCode.Should().Be(0, result.Output);
    }

    [Fact]
    public async Task AlertRules_EveryAlert_HasAUnitTestThatFiresIt()
    {
        var defined = AlertName().Matches(await File.ReadAllTextAsync(DeployFiles.Path("prometheus", "alerts.yml"))).Select(m => m.Groups[1].Value).ToList();
        var fired = FiredAlert().Matches(await File.ReadAllTextAsync(DeployFiles.Path("prometheus", "alerts.test.yml"))).Select(m => m.Groups[1].Value).ToHashSet();

        defined.Should().HaveCountGreaterThanOrEqualTo(7, "seed 003 configures seven alerts");
        defined.Should().OnlyContain(name => fired.Contains(name), "every alert needs a test case where it fires");
    }

    [Fact]
    public async Task PrometheusConfig_PromtoolCheckConfig_Valid()
    {
        var result = await Promtool.RunAsync("check", "config", DeployFiles.Path("prometheus", "prometheus.yml"));
        result.ExitCode.Should().Be(0, result.Output);
    }

    [Fact]
    public async Task DashboardExpressions_ParseAsPromQL()
    {
        var rules = new System.Text.StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        var i = 0;
        foreach (var expr in DashboardExpressions())
        {
            var concrete = expr.Replace("$instance", ".*", StringComparison.Ordinal).Replace("$__range", "1h", StringComparison.Ordinal);
            rules.Append("      - record: dashboard:expr").Append(i++).Append('\n')
                .Append("        expr: ").Append(JsonSerializer.Serialize(concrete)).Append('\n');
        }

        var file = Path.Combine(Path.GetTempPath(), $"hubs-dashboard-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(file, rules.ToString());
        try
        {
            var result = await Promtool.RunAsync("check", "rules", file);
            result.ExitCode.Should().Be(0, result.Output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task DashboardAndAlerts_QueryOnlyMetricsTheServiceExports()
    {
        await using var server = await HubsServer.StartAsync();
        var exported = MetricsScrape.Parse(await server.Http.GetStringAsync("/metrics")).Types;
        var alerts = (await DeployFiles.ReadYamlAsync(DeployFiles.Path("prometheus", "alerts.yml")))[0]
            .GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray())
            .Select(r => r.GetProperty("expr").GetString()!);
        var adapter = (await DeployFiles.ReadYamlAsync(DeployFiles.Path("k8s", "prometheus-adapter-rules.yaml")))[0]
            .GetProperty("rules").GetProperty("custom").EnumerateArray()
            .Select(r => r.GetProperty("seriesQuery").GetString()!);

        var queried = DashboardExpressions().Concat(alerts).Concat(adapter)
            .SelectMany(text => MetricName().Matches(text).Select(m => m.Value))
            .Distinct()
            .ToList();

        queried.Should().NotBeEmpty();
        foreach (var name in queried)
        {
            var family = HistogramSuffix().Replace(name, string.Empty);
            var known = exported.ContainsKey(name) || (exported.TryGetValue(family, out var type) && type == "histogram");
            known.Should().BeTrue($"'{name}' is queried by a dashboard or alert but /metrics does not export it");
        }
    }

    [Fact]
    public void Dashboard_HasTheSeed003Panels()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DeployFiles.Path("grafana", "dashboards", "hubs.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        var titles = panels.Select(p => p.GetProperty("title").GetString()).ToList();

        titles.Should().Contain([
            "Active Connections", "Connection Rate", "Connection Duration (p50, p95, p99)", "Failed Connections Rate",
            "Message Latency (p50, p95, p99)", "Message Throughput", "Heartbeat Latency (p95)", "CPU Usage", "Memory Usage",
            "Total Subscriptions", "Subscriptions by Project", "Subscriptions per Connection",
            "Authentication Failures", "Message Errors", "Heartbeat Timeouts", "Connection Errors"]);
        panels.Select(p => p.GetProperty("id").GetInt32()).Should().OnlyHaveUniqueItems();
        foreach (var panel in panels.Where(p => p.GetProperty("type").GetString() != "row"))
        {
            panel.GetProperty("datasource").GetProperty("uid").GetString().Should().Be("prometheus");
            panel.GetProperty("targets").EnumerateArray().Should().NotBeEmpty();
            var grid = panel.GetProperty("gridPos");
            (grid.GetProperty("x").GetInt32() + grid.GetProperty("w").GetInt32()).Should().BeLessThanOrEqualTo(24);
        }
    }

    [Fact]
    public async Task GrafanaProvisioning_PointsAtTheDashboardAndPrometheus()
    {
        var datasource = (await DeployFiles.ReadYamlAsync(DeployFiles.Path("grafana", "provisioning", "datasources", "prometheus.yml")))[0];
        var provider = (await DeployFiles.ReadYamlAsync(DeployFiles.Path("grafana", "provisioning", "dashboards", "hubs.yml")))[0];

        var source = datasource.GetProperty("datasources")[0];
        source.GetProperty("uid").GetString().Should().Be("prometheus");
        source.GetProperty("url").GetString().Should().Be("http://prometheus:9090");
        provider.GetProperty("providers")[0].GetProperty("options").GetProperty("path").GetString().Should().Be("/var/lib/grafana/dashboards");
    }

    private static IEnumerable<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DeployFiles.Path("grafana", "dashboards", "hubs.json")));
        return dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
    }

    [GeneratedRegex(@"- alert: (\w+)")]
    private static partial Regex AlertName();

    [GeneratedRegex(@"alertname: (\w+)\s*\n\s*exp_alerts:\s*\n\s*- exp_labels")]
    private static partial Regex FiredAlert();

    [GeneratedRegex(@"\b(websocket|dotnet)_[a-z_]+\b")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
