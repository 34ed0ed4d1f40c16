using System.Net;
using Hubs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Hubs.Tests.Delivery;

public sealed class ShutdownDrainTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Stop_DuringAGeneration_LetsItFinishAndRefusesNewConnections()
    {
        var server = await HubsServer.StartAsync("Generation:TemplateChunkDelay=00:00:00.030", "Shutdown:DrainTimeout=00:00:30");
        await using var socket = await RawSignalRSocket.ConnectAsync(server.WebSocketUri("/hubs/generation"));
        await socket.SendRawAsync("""{"type":4,"invocationId":"g","target":"Generate","arguments":[{"prompt":"drain me","user_id":"u"}]}""" + "\u001e", CancellationToken.None);

        var first = await socket.ReceiveAsync();
        first!.RootElement.GetProperty("type").GetInt32().Should().Be(2, "a stream item arrives first");

        var sw = System.Diagnostics.Stopwatch.StartNew();
        server.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => output.WriteLine($"stopping at {sw.ElapsedMilliseconds}"));
        output.WriteLine("shutdown timeout " + server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostOptions>>().Value.ShutdownTimeout);
        var stopping = server.App.StopAsync();
        HttpStatusCode negotiate = default;
        for (var i = 0; i < 50 && negotiate != HttpStatusCode.ServiceUnavailable; i++)
        {
            using var response = await server.Http.PostAsync("/hubs/projects/negotiate?negotiateVersion=1", null);
            negotiate = response.StatusCode;
            await Task.Delay(20);
        }

        var types = new List<string>();
        string? completionError = null;
        while (await socket.ReceiveAsync() is { } message)
        {
            var root = message.RootElement;
            if (root.GetProperty("type").GetInt32() == 2)
            {
                types.Add(root.GetProperty("item").GetProperty("type").GetString()!);
            }
            else if (root.GetProperty("type").GetInt32() == 3)
            {
                completionError = root.TryGetProperty("error", out var e) ? e.GetString() : null;
                break;
            }
        }

        output.WriteLine($"stream ended at {sw.ElapsedMilliseconds} state {socket.State}");
        await stopping;
        await server.DisposeAsync();

        negotiate.Should().Be(HttpStatusCode.ServiceUnavailable, "new connections are refused while draining");
        types.Should().EndWith("complete", "the running generation is allowed to finish");
        completionError.Should().BeNull();
    }
}
