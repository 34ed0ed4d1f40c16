using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hubs.Tests.Infrastructure;

namespace Hubs.Tests.Publishing;

public sealed class PublishApiTests : IAsyncLifetime
{
    private HubsServer _server = null!;

    public async Task InitializeAsync() => _server = await HubsServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json, string contentType = "application/json")
    {
        using var content = new StringContent(json, Encoding.UTF8, contentType);
        using var response = await _server.Http.PostAsync(path, content);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body);
    }

    [Theory]
    [InlineData("/api/incidents/events", """{"event_type":"incident_created","incident":{"id":"i1","severity":"P9"}}""", "incident.severity")]
    [InlineData("/api/incidents/events", """{"event_type":"exploded","incident":{"id":"i1","severity":"P1"}}""", "event_type")]
    [InlineData("/api/incidents/events", """{"event_type":"incident_created"}""", "incident")]
    [InlineData("/api/incidents/events", """{"event_type":"incident_created","incident":{"id":"","severity":"P1"}}""", "incident.id")]
    [InlineData("/api/incidents/events", """{"event_type":"incident_created","incident":{"id":"i1","severity":"P1","affected_resources":"db"}}""", "incident.affected_resources")]
    [InlineData("/api/projects/p1/updates", """{"type":"x"}""", "data")]
    [InlineData("/api/projects/p1/updates", """{"data":""", "data")]
    [InlineData("/api/projects/p1/updates", "[1,2]", "body")]
    [InlineData("/api/users/u1/messages", """{"type":"notification"}""", "data")]
    public async Task Publish_InvalidBody_IsAProblemNamingTheField(string path, string json, string field)
    {
        var (status, body) = await PostAsync(path, json);

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("status").GetInt32().Should().Be(400);
        body.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue($"the problem should name '{field}': {body}");
    }

    [Fact]
    public async Task Publish_NotJson_Is415Problem()
    {
        var (status, body) = await PostAsync("/api/projects/p1/updates", "data=1", "application/x-www-form-urlencoded");
        status.Should().Be(HttpStatusCode.UnsupportedMediaType);
        body.GetProperty("detail").GetString().Should().Contain("JSON");
    }

    [Fact]
    public async Task PublishIncident_Valid_ReturnsIncreasingMessageIds()
    {
        var first = await _server.PublishIncidentAsync("incident_created", new() { Id = "i1", Severity = "P1" });
        var second = await _server.PublishIncidentAsync("incident_updated", new() { Id = "i1", Severity = "P1" });

        Hubs.Server.Scaleout.StreamId.TryParse(first, out var a).Should().BeTrue();
        Hubs.Server.Scaleout.StreamId.TryParse(second, out var b).Should().BeTrue();
        (b > a).Should().BeTrue();
    }

    [Fact]
    public async Task PublishUserMessage_Valid_IsAccepted()
    {
        var (status, body) = await PostAsync("/api/users/u1/messages", """{"type":"notification","data":{"text":"hi"}}""");
        status.Should().Be(HttpStatusCode.Accepted);
        body.GetProperty("accepted").GetBoolean().Should().BeTrue();
    }
}
