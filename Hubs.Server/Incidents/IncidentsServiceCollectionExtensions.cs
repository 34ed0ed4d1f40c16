using Hubs.Contracts;
using Hubs.Contracts.Incidents;
using Hubs.Contracts.Publishing;
using Hubs.Server.Publishing;
using Hubs.Server.Security;

namespace Hubs.Server.Incidents;

internal static class IncidentsServiceCollectionExtensions
{
    public static IServiceCollection AddIncidents(this IServiceCollection services)
    {
        services.AddSingleton<IncidentsFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<IncidentsFeed>());
        return services;
    }

    public static IEndpointRouteBuilder MapIncidents(this IEndpointRouteBuilder endpoints, RouteGroupBuilder publishApi)
    {
        endpoints.MapSecuredHub<IncidentsHub>(HubRoutes.Incidents);
        publishApi.MapPost("/incidents/events", PublishAsync);
        return endpoints;
    }

    private static async Task<IResult> PublishAsync(HttpRequest request, IncidentsFeed feed, CancellationToken cancellationToken)
    {
        var (body, problem) = await PublishRequestReader.ReadAsync<PublishIncidentEventRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(body!.EventType) || !IncidentEventTypes.All.Contains(body.EventType, StringComparer.Ordinal))
        {
            return PublishRequestReader.Invalid("event_type", $"event_type must be one of {string.Join(", ", IncidentEventTypes.All)}.");
        }

        var incident = body.Incident;
        if (incident is null)
        {
            return PublishRequestReader.Invalid("incident", "incident is required.");
        }

        if (string.IsNullOrWhiteSpace(incident.Id))
        {
            return PublishRequestReader.Invalid("incident.id", "incident.id is required.");
        }

        if (!IncidentEventTypes.Severities.Contains(incident.Severity, StringComparer.Ordinal))
        {
            return PublishRequestReader.Invalid("incident.severity", "incident.severity must be one of P0, P1, P2, P3, P4.");
        }

        var id = await feed.PublishAsync(body.EventType, incident, cancellationToken);
        return Results.Accepted(value: new PublishResult(id));
    }
}
