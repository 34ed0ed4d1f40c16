using Hubs.Server.Security;
using Microsoft.AspNetCore.SignalR;

namespace Hubs.Tests.Security;

/// <summary>A hub that exercises the security helpers the way the real hubs do.</summary>
internal sealed class ProbeHub(IProjectAccess projects, IIncidentAccess incidents, SubscriptionLimit subscriptions) : Hub
{
    public const string Path = "/hubs/probe";

    public string Echo(string text) => text;

    [RateLimitExempt]
    public string Ack(string text) => text;

    public string? WhoAmI() => Context.UserIdentifier;

    public string SubscribeProject(string projectId)
    {
        projects.Demand(Context.User!, projectId);
        return projectId;
    }

    public bool SubscribeIncidents()
    {
        incidents.Demand(Context.User!);
        return true;
    }

    public int AddSubscription(int currentCount)
    {
        subscriptions.EnsureCanAdd(Context, currentCount);
        return currentCount + 1;
    }
}
