using System.Text.Json;

namespace Hubs.Contracts.Study;

/// <summary>Server methods of <c>/hubs/study</c>, the per-user channel of the study dashboard.</summary>
public interface IStudyHub
{
    /// <summary>Sends a chat line to every connected user, the sender included. <paramref name="timestamp"/> is the client's; the server's time when null.</summary>
    Task SendChat(string message, string? timestamp);

    /// <summary>Sends study progress to every connection of the caller's own user.</summary>
    Task UpdateStudy(JsonElement data);

    /// <summary>Sends game state to every connection except those of the caller's user.</summary>
    Task UpdateGameState(JsonElement state);
}
