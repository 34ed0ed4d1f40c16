using System.Text.Json;
using Hubs.Contracts.Study;

namespace Hubs.Client.Study;

/// <summary>Typed client of <c>/hubs/study</c>, the per-user channel of the study dashboard.</summary>
public sealed class StudyClient : TypedHubClient, IStudyHub
{
    /// <inheritdoc cref="TypedHubClient(HubConnection)"/>
    public StudyClient(HubConnection connection)
        : base(connection)
    {
    }

    /// <inheritdoc/>
    public Task SendChat(string message, string? timestamp) => SendChat(message, timestamp, CancellationToken.None);

    /// <inheritdoc cref="IStudyHub.SendChat"/>
    public Task SendChat(string message, string? timestamp, CancellationToken cancellationToken) =>
        Connection.InvokeAsync(nameof(IStudyHub.SendChat), [message, timestamp], cancellationToken);

    /// <inheritdoc/>
    public Task UpdateStudy(JsonElement data) => UpdateStudy(data, CancellationToken.None);

    /// <inheritdoc cref="IStudyHub.UpdateStudy"/>
    public Task UpdateStudy(JsonElement data, CancellationToken cancellationToken) =>
        Connection.InvokeAsync(nameof(IStudyHub.UpdateStudy), [data], cancellationToken);

    /// <inheritdoc/>
    public Task UpdateGameState(JsonElement state) => UpdateGameState(state, CancellationToken.None);

    /// <inheritdoc cref="IStudyHub.UpdateGameState"/>
    public Task UpdateGameState(JsonElement state, CancellationToken cancellationToken) =>
        Connection.InvokeAsync(nameof(IStudyHub.UpdateGameState), [state], cancellationToken);

    /// <summary>Handles <see cref="IStudyClient.Chat"/>. Dispose the result to unregister.</summary>
    public IDisposable OnChat(Func<ChatMessage, Task> handler) => Connection.On(nameof(IStudyClient.Chat), handler);

    /// <inheritdoc cref="OnChat(Func{ChatMessage, Task})"/>
    public IDisposable OnChat(Action<ChatMessage> handler) => Connection.On(nameof(IStudyClient.Chat), handler);

    /// <summary>Handles <see cref="IStudyClient.StudyUpdate"/>. Dispose the result to unregister.</summary>
    public IDisposable OnStudyUpdate(Func<StudyUpdate, Task> handler) => Connection.On(nameof(IStudyClient.StudyUpdate), handler);

    /// <inheritdoc cref="OnStudyUpdate(Func{StudyUpdate, Task})"/>
    public IDisposable OnStudyUpdate(Action<StudyUpdate> handler) => Connection.On(nameof(IStudyClient.StudyUpdate), handler);

    /// <summary>Handles <see cref="IStudyClient.GameState"/>. Dispose the result to unregister.</summary>
    public IDisposable OnGameState(Func<GameStateUpdate, Task> handler) => Connection.On(nameof(IStudyClient.GameState), handler);

    /// <inheritdoc cref="OnGameState(Func{GameStateUpdate, Task})"/>
    public IDisposable OnGameState(Action<GameStateUpdate> handler) => Connection.On(nameof(IStudyClient.GameState), handler);

    /// <summary>Handles <see cref="IStudyClient.UserDisconnected"/>. Dispose the result to unregister.</summary>
    public IDisposable OnUserDisconnected(Func<UserDisconnected, Task> handler) => Connection.On(nameof(IStudyClient.UserDisconnected), handler);

    /// <inheritdoc cref="OnUserDisconnected(Func{UserDisconnected, Task})"/>
    public IDisposable OnUserDisconnected(Action<UserDisconnected> handler) => Connection.On(nameof(IStudyClient.UserDisconnected), handler);

    /// <summary>Handles <see cref="IStudyClient.Notification"/>. Dispose the result to unregister.</summary>
    public IDisposable OnNotification(Func<UserNotification, Task> handler) => Connection.On(nameof(IStudyClient.Notification), handler);

    /// <inheritdoc cref="OnNotification(Func{UserNotification, Task})"/>
    public IDisposable OnNotification(Action<UserNotification> handler) => Connection.On(nameof(IStudyClient.Notification), handler);
}
