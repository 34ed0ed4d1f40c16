using System.Text;
using Hubs.Contracts;
using Hubs.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hubs.Tests.Observability;

/// <summary>OTLP export against a real HTTP receiver on loopback standing in for an OpenTelemetry collector.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Otlp_EndpointSet_PushesHubsMetricsToCollector()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var collectorBuilder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        collectorBuilder.Logging.ClearProviders();
        await using var collector = collectorBuilder.Build();
        collector.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            // OTLP/HTTP protobuf carries metric names as plain UTF-8 strings.
            var text = Encoding.UTF8.GetString(body.ToArray());
            if (text.Contains("websocket_connections_total", StringComparison.Ordinal))
            {
                received.TrySetResult(request.ContentType ?? string.Empty);
            }

            return Results.Ok();
        });
        await collector.StartAsync();
        var collectorAddress = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        await using var server = await HubsServer.StartAsync($"Otlp:Endpoint={collectorAddress}", "Otlp:ExportIntervalMilliseconds=200");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using (var client = await RawHubConnection.ConnectAsync(server.WebSocketUri(HubRoutes.Projects), cts.Token))
        {
            var contentType = await received.Task.WaitAsync(cts.Token);
            contentType.Should().Be("application/x-protobuf");
        }

        await collector.StopAsync();
    }
}
