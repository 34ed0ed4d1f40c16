using Hubs.Contracts;
using Hubs.Server.Scaleout;
using Hubs.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hubs.Tests.Projects;

public sealed class ForwardTests : IAsyncLifetime
{
    private HubsServer _server = null!;

    public async Task InitializeAsync() => _server = await HubsServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Forward_WithoutData_IsQueuedWithNullData()
    {
        await using var socket = await RawSignalRSocket.ConnectAsync(_server.WebSocketUri(HubRoutes.Projects));

        await socket.SendRawAsync("""{"type":1,"invocationId":"1","target":"Forward","arguments":[{"type":"qa","message_id":"m-1","project_id":"p1"}]}""" + "\u001e", CancellationToken.None);
        var completion = await socket.WaitForCompletionAsync("1");

        completion.TryGetProperty("error", out var error).Should().BeFalse(error.ToString());
        completion.GetProperty("result").GetProperty("queue").GetString().Should().Be("qa");
        var log = _server.Services.GetRequiredService<IEventLog>();
        var page = await log.ReadAfterAsync(EventStreams.AgentQueue("qa"), "0-0", 10, CancellationToken.None);
        page.Events.Should().ContainSingle();
        var entry = System.Text.Json.JsonDocument.Parse(page.Events[0].Payload).RootElement;
        entry.GetProperty("message_id").GetString().Should().Be("m-1");
        entry.GetProperty("data").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }
}
