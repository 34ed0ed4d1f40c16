namespace Hubs.Contracts.Study;

/// <summary>Callbacks of <c>/hubs/study</c>.</summary>
public interface IStudyClient
{
    Task Chat(ChatMessage message);

    Task StudyUpdate(StudyUpdate update);

    Task GameState(GameStateUpdate update);

    /// <summary>A user's last connection closed.</summary>
    Task UserDisconnected(UserDisconnected notice);

    /// <summary>A backend pushed a message to this user (<c>POST /api/users/{userId}/messages</c>).</summary>
    Task Notification(UserNotification notification);
}
