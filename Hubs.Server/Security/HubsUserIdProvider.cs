using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Hubs.Server.Security;

/// <summary>
/// SignalR's user id (<c>Clients.User(id)</c>, per-user limits) is the token's user (<see cref="UserIdentity.GetUserId"/>).
/// Only when anonymous access is allowed (Development) does a connection without a token get the user it names in
/// its <c>user_id</c> route value or query parameter, so anonymous study clients still have a user channel.
/// </summary>
internal sealed class HubsUserIdProvider(IOptions<SecurityOptions> options) : IUserIdProvider
{
    public const string UserIdParameter = "user_id";
    private const int MaxUserIdLength = 128;

    private readonly bool _allowAnonymous = options.Value.AllowAnonymous;

    public string? GetUserId(HubConnectionContext connection)
    {
        var user = connection.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            return UserIdentity.GetUserId(user);
        }

        if (!_allowAnonymous || connection.GetHttpContext() is not { } http)
        {
            return null;
        }

        var requested = http.Request.RouteValues[UserIdParameter] as string ?? http.Request.Query[UserIdParameter].ToString();
        return IsAcceptable(requested) ? requested : null;
    }

    private static bool IsAcceptable(string? userId) =>
        !string.IsNullOrWhiteSpace(userId) && userId.Length <= MaxUserIdLength && !userId.Any(char.IsControl);
}
