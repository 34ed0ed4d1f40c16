using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Publishing;
using Hubs.Server.Publishing;
using Hubs.Server.Security;

namespace Hubs.Server.Projects;

internal static class ProjectsServiceCollectionExtensions
{
    public static IServiceCollection AddProjects(this IServiceCollection services)
    {
        services.AddSingleton<ProjectsFeed>();
        services.AddSingleton<AgentQueueWriter>();
        return services;
    }

    public static IEndpointRouteBuilder MapProjects(this IEndpointRouteBuilder endpoints, RouteGroupBuilder publishApi)
    {
        endpoints.MapSecuredHub<ProjectsHub>(HubRoutes.Projects);
        publishApi.MapPost("/projects/{projectId}/updates", PublishAsync);
        return endpoints;
    }

    private static async Task<IResult> PublishAsync(string projectId, HttpRequest request, ProjectsFeed feed, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(projectId) || projectId.Length > 200)
        {
            return PublishRequestReader.Invalid("projectId", "The project id must be 1 to 200 characters.");
        }

        var (body, problem) = await PublishRequestReader.ReadAsync<PublishProjectUpdateRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return PublishRequestReader.Invalid("data", "data is required.");
        }

        if (body.Type is { Length: > 100 })
        {
            return PublishRequestReader.Invalid("type", "type must be at most 100 characters.");
        }

        var id = await feed.PublishAsync(projectId, body.Type, body.Data, cancellationToken);
        return Results.Accepted(value: new PublishResult(id));
    }
}
