using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Publishing;
using Hubs.Contracts.Study;
using Hubs.Server.Publishing;
using Microsoft.AspNetCore.SignalR;
using Hubs.Server.Security;

namespace Hubs.Server.Study;

internal static class StudyServiceCollectionExtensions
{
    public static IEndpointRouteBuilder MapStudy(this IEndpointRouteBuilder endpoints, RouteGroupBuilder publishApi)
    {
        endpoints.MapSecuredHub<StudyHub>(HubRoutes.Study);
        publishApi.MapPost("/users/{userId}/messages", PublishAsync);
        return endpoints;
    }

    private static async Task<IResult> PublishAsync(string userId, HttpRequest request, IHubContext<StudyHub, IStudyClient> hub, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > 200)
        {
            return PublishRequestReader.Invalid("userId", "The user id must be 1 to 200 characters.");
        }

        var (body, problem) = await PublishRequestReader.ReadAsync<PublishUserMessageRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return PublishRequestReader.Invalid("data", "data is required.");
        }

        var type = string.IsNullOrWhiteSpace(body.Type) ? UserNotification.DefaultType : body.Type;
        await hub.Clients.User(userId).Notification(new UserNotification(type, body.Data));
        return Results.Accepted(value: new PublishResult(MessageId: null));
    }
}
