using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hubs.Server;
using Hubs.Server.Delivery;
using Hubs.Server.Generation;
using Hubs.Server.Observability;
using Hubs.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Hubs.Tests.Observability;

/// <summary>The health seams (a Redis check, other checks, the connection counts) and the log format settings.</summary>
public sealed class HealthChecksTests
{
    private static async Task<(WebApplication App, HttpClient Http)> StartAsync(Action<WebApplicationBuilder> configure, params string[] settings)
    {
        string[] args = ["--urls", "http://127.0.0.1:0", "--environment", "Development", "--Logging:LogLevel:Default=Warning", .. settings];
        var app = HubsApplication.Build(args, configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) });
    }

    private static async Task StopAsync(WebApplication app, HttpClient http)
    {
        http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Health_RedisCheckDisconnected_DegradedWith200AndRedisState()
    {
        var (app, http) = await StartAsync(b => b.Services.AddHealthChecks().AddCheck(
            HealthResponses.RedisCheckName,
            () => HealthCheckResult.Degraded("lost", data: new Dictionary<string, object> { [HealthResponses.RedisStateKey] = "disconnected" })));
        try
        {
            using var response = await http.GetAsync("/health");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            body.GetProperty("status").GetString().Should().Be("degraded");
            body.GetProperty("redis").GetString().Should().Be("disconnected");
        }
        finally
        {
            await StopAsync(app, http);
        }
    }

    [Fact]
    public async Task Health_RedisCheckHealthyWithoutState_ReportsConnected()
    {
        var (app, http) = await StartAsync(b => b.Services.AddHealthChecks().AddCheck(HealthResponses.RedisCheckName, () => HealthCheckResult.Healthy()));
        try
        {
            var body = await http.GetFromJsonAsync<JsonElement>("/health");
            body.GetProperty("redis").GetString().Should().Be("connected");
            body.GetProperty("status").GetString().Should().Be("healthy");
        }
        finally
        {
            await StopAsync(app, http);
        }
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/websocket")]
    [InlineData("/api/ws/health")]
    public async Task HealthEndpoints_AnyCheckUnhealthy_Return503Unhealthy(string path)
    {
        var (app, http) = await StartAsync(b => b.Services.AddHealthChecks().AddCheck("disk", () => HealthCheckResult.Unhealthy("full")));
        try
        {
            using var response = await http.GetAsync(path);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();

            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            body.GetProperty("status").GetString().Should().Be("unhealthy");
        }
        finally
        {
            await StopAsync(app, http);
        }
    }

    [Fact]
    public async Task Health_InstanceConfigured_ReportsIt()
    {
        var (app, http) = await StartAsync(_ => { }, "--Observability:Instance=hubs-7");
        try
        {
            (await http.GetFromJsonAsync<JsonElement>("/health")).GetProperty("instance").GetString().Should().Be("hubs-7");
        }
        finally
        {
            await StopAsync(app, http);
        }
    }

    [Fact]
    public async Task ApiWsHealth_CustomConnectionCounts_ReportsUsersAndSockets()
    {
        var (app, http) = await StartAsync(b => b.Services.AddSingleton<IConnectionCounts>(new FixedCounts(3, 5)));
        try
        {
            var body = await http.GetFromJsonAsync<JsonElement>("/api/ws/health");
            body.GetProperty("active_connections").GetInt32().Should().Be(3);
            body.GetProperty("total_sockets").GetInt32().Should().Be(5);
        }
        finally
        {
            await StopAsync(app, http);
        }
    }

    [Fact]
    public async Task LifetimeCheck_StopRequested_Unhealthy()
    {
        using var services = new ServiceCollection().AddLogging().AddSingleton<IHostApplicationLifetime, Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>().BuildServiceProvider();
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var check = new LifetimeHealthCheck(lifetime, NewDrain());

        (await check.CheckHealthAsync(new HealthCheckContext())).Status.Should().Be(HealthStatus.Healthy);
        lifetime.StopApplication();
        (await check.CheckHealthAsync(new HealthCheckContext())).Status.Should().Be(HealthStatus.Unhealthy);
    }

    [Fact]
    public async Task LifetimeCheck_Draining_UnhealthyDraining()
    {
        using var services = new ServiceCollection().AddLogging().AddSingleton<IHostApplicationLifetime, Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>().BuildServiceProvider();
        var drain = NewDrain();
        var check = new LifetimeHealthCheck(services.GetRequiredService<IHostApplicationLifetime>(), drain);

        await drain.StoppingAsync(CancellationToken.None);
        var result = await check.CheckHealthAsync(new HealthCheckContext());

        result.Status.Should().Be(HealthStatus.Unhealthy);
        result.Description.Should().StartWith("draining");
    }

    [Fact]
    public async Task Health_DuringGracefulShutdown_Returns503Draining()
    {
        var server = await HubsServer.StartAsync("Generation:TemplateChunkDelay=00:00:00.050", "Shutdown:DrainTimeout=00:00:30");
        await using var socket = await RawSignalRSocket.ConnectAsync(server.WebSocketUri("/hubs/generation"));
        await socket.SendRawAsync("""{"type":4,"invocationId":"g","target":"Generate","arguments":[{"prompt":"keep the drain busy","user_id":"u"}]}""" + "\u001e", CancellationToken.None);
        (await socket.ReceiveAsync())!.RootElement.GetProperty("type").GetInt32().Should().Be(2, "the generation is running");

        var stopping = server.App.StopAsync();
        HttpStatusCode status = default;
        JsonElement body = default;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (status != HttpStatusCode.ServiceUnavailable && !timeout.IsCancellationRequested)
        {
            using var response = await server.Http.GetAsync("/health");
            status = response.StatusCode;
            body = await response.Content.ReadFromJsonAsync<JsonElement>();
            await Task.Delay(20);
        }

        while (await socket.ReceiveAsync() is { } message && message.RootElement.GetProperty("type").GetInt32() != 3)
        {
        }

        await stopping;
        await server.DisposeAsync();
        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("status").GetString().Should().Be("unhealthy");
        body.GetProperty("checks").GetProperty("lifetime").GetProperty("description").GetString().Should().StartWith("draining");
    }

    private static ShutdownDrain NewDrain() =>
        new(new GenerationTracker(), Options.Create(new ShutdownOptions()), NullLogger<ShutdownDrain>.Instance);

    [Theory]
    [InlineData("Production", null, ConsoleFormatterNames.Json)]
    [InlineData("Development", null, ConsoleFormatterNames.Simple)]
    [InlineData("Development", "json", ConsoleFormatterNames.Json)]
    [InlineData("Production", "simple", ConsoleFormatterNames.Simple)]
    public async Task LogFormat_EnvironmentAndSetting_ChooseConsoleFormatter(string environment, string? format, string expected)
    {
        string[] args = format is null ? ["--environment", environment] : ["--environment", environment, "--Logging:Format=" + format];
        await using var app = HubsApplication.Build(args);

        app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName.Should().Be(expected);
        app.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue.IncludeScopes.Should().BeTrue();
    }

    [Theory]
    [InlineData("Logging:Format=xml", "Logging:Format")]
    [InlineData("Observability:MaxSeriesPerInstrument=0", "Observability:MaxSeriesPerInstrument")]
    [InlineData("Otlp:Endpoint=ftp://collector", "Otlp:Endpoint")]
    [InlineData("Otlp:Protocol=carrier-pigeon", "Otlp:Protocol")]
    public async Task Start_InvalidSetting_FailsNamingTheKey(string setting, string key)
    {
        string[] args = ["--urls", "http://127.0.0.1:0", "--environment", "Development", "--" + setting, "--Otlp:Endpoint=" + (setting.StartsWith("Otlp:Endpoint", StringComparison.Ordinal) ? "ftp://collector" : "http://127.0.0.1:1")];
        if (!setting.StartsWith("Otlp", StringComparison.Ordinal))
        {
            args = args[..^1];
        }

        // Some settings are read while the app is built (the logger, the exporter), others when it starts.
        var buildAndStart = async () =>
        {
            await using var app = HubsApplication.Build(args);
            await app.StartAsync();
            await app.StopAsync();
        };

        (await buildAndStart.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(key);
    }

    private sealed class FixedCounts(int users, int sockets) : IConnectionCounts
    {
        public ValueTask<(int Users, int Sockets)> CountAsync(CancellationToken cancellationToken) => ValueTask.FromResult((users, sockets));
    }
}
