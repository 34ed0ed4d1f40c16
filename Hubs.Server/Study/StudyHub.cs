using System.Globalization;
using System.Text.Json;
using Hubs.Contracts;
using Hubs.Contracts.Study;
using Hubs.Server.Scaleout;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Server.Study;

/// <summary>
/// <c>/hubs/study</c>: the study dashboard's per-user channel. Every connection belongs to a user
/// (<see cref="HubCallerContext.UserIdentifier"/>); chat goes to everyone, study updates to the sender's own
/// connections, game state to everyone but the sender's user.
/// </summary>
internal sealed class StudyHub : Hub<IStudyClient>, IStudyHub
{
    private const int MaxChatLength = 4_000;

    private readonly IUserPresence _presence;
    private readonly TimeProvider _time;

    public StudyHub(IUserPresence presence, TimeProvider time)
    {
        _presence = presence;
        _time = time;
    }

    public override async Task OnConnectedAsync()
    {
        var userId = Context.UserIdentifier
            ?? throw new HubException(HubErrorCodes.Format(HubErrorCodes.Unauthorized, "the study hub needs a user: connect with a token whose 'sub' names the user"));
        await _presence.ConnectedAsync(userId, Context.ConnectionId, Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.UserIdentifier is { } userId && await _presence.DisconnectedAsync(userId, Context.ConnectionId, CancellationToken.None))
        {
            await Clients.All.UserDisconnected(new UserDisconnected(userId));
        }

        await base.OnDisconnectedAsync(exception);
    }

    public Task SendChat(string message, string? timestamp)
    {
        if (string.IsNullOrWhiteSpace(message) || message.Length > MaxChatLength)
        {
            throw new HubException(HubErrorCodes.Format(HubErrorCodes.InvalidMessage, $"message is required (1 to {MaxChatLength} characters)"));
        }

        var stamp = timestamp ?? _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return Clients.All.Chat(new ChatMessage(UserId, message, stamp));
    }

    public Task UpdateStudy(JsonElement data)
    {
        RequirePayload(data, "data");
        return Clients.User(UserId).StudyUpdate(new StudyUpdate(UserId, data));
    }

    public async Task UpdateGameState(JsonElement state)
    {
        RequirePayload(state, "state");
        var own = await _presence.ConnectionsAsync(UserId, Context.ConnectionAborted);
        await Clients.AllExcept(own).GameState(new GameStateUpdate(UserId, state));
    }

    private string UserId => Context.UserIdentifier!;

    private static void RequirePayload(JsonElement value, string field)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            throw new HubException(HubErrorCodes.Format(HubErrorCodes.InvalidMessage, $"{field} is required"));
        }
    }
}
