using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

// Baseline peer: what a team would write with plain ASP.NET Core SignalR and nothing else. The default in-memory
// HubLifetimeManager, groups for subscriptions, and a publish endpoint with the same route and body as Hubs'
// (POST /api/projects/{projectId}/updates {"type","data"}), so the same generator drives both.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
var app = builder.Build();
app.UseWebSockets();
app.MapHub<ProjectsHub>("/hubs/projects");
long sequence = 0;
app.MapPost("/api/projects/{projectId}/updates", async (string projectId, HttpRequest request, IHubContext<ProjectsHub> hub, CancellationToken cancellationToken) =>
{
    using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
    var type = body.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "project_updated";
    var id = Interlocked.Increment(ref sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);
    var update = new ProjectUpdate(type, projectId, body.RootElement.GetProperty("data").Clone(), id, DateTimeOffset.UtcNow);
    await hub.Clients.Group(projectId).SendAsync("ProjectUpdated", update, cancellationToken);
    return Results.Accepted(value: new { message_id = id });
});
app.MapGet("/health", () => "ok");
app.Run();

/// <summary>The same wire shape as Hubs' ProjectUpdate.</summary>
internal sealed record ProjectUpdate(string Type, string ProjectId, JsonElement Data, string MessageId, DateTimeOffset Timestamp);

/// <summary>Subscribe/Unsubscribe as groups, like a hand-written SignalR service would.</summary>
internal sealed class ProjectsHub : Hub
{
    public async Task<object> Subscribe(string projectId, string? since)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, projectId);
        return new { project_id = projectId, replayed = 0, history_truncated = false };
    }

    public async Task<object> Unsubscribe(string projectId)
    {
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, projectId);
        return new { project_id = projectId };
    }
}
