using Microsoft.AspNetCore.SignalR;

namespace Hubs.Tests.Scaleout;

/// <summary>Exposes every lifetime-manager operation to test clients; everything it sends arrives as <c>Message(text)</c>.</summary>
internal sealed class ScaleoutTestHub : Hub
{
    public const string Path = "/hubs/scaleout-test";

    public string WhoAmI() => Context.ConnectionId;

    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    public Task Leave(string group) => Groups.RemoveFromGroupAsync(Context.ConnectionId, group);

    public Task AddOther(string connectionId, string group) => Groups.AddToGroupAsync(connectionId, group);

    public Task RemoveOther(string connectionId, string group) => Groups.RemoveFromGroupAsync(connectionId, group);

    public Task ToAll(string text) => Clients.All.SendAsync("Message", text);

    public Task ToAllExcept(string text, string[] excluded) => Clients.AllExcept(excluded).SendAsync("Message", text);

    public Task ToConnection(string connectionId, string text) => Clients.Client(connectionId).SendAsync("Message", text);

    public Task ToConnections(string[] connectionIds, string text) => Clients.Clients(connectionIds).SendAsync("Message", text);

    public Task ToGroup(string group, string text) => Clients.Group(group).SendAsync("Message", text);

    public Task ToGroups(string[] groups, string text) => Clients.Groups(groups).SendAsync("Message", text);

    public Task ToGroupExcept(string group, string text, string[] excluded) => Clients.GroupExcept(group, excluded).SendAsync("Message", text);

    public Task ToUser(string user, string text) => Clients.User(user).SendAsync("Message", text);

    public Task ToUsers(string[] users, string text) => Clients.Users(users).SendAsync("Message", text);

    public Task<string> Ask(string connectionId, string question)
        => Clients.Client(connectionId).InvokeAsync<string>("Question", question, Context.ConnectionAborted);
}
