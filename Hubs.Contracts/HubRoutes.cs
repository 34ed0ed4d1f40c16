namespace Hubs.Contracts;

/// <summary>The URL paths of the SignalR hubs. The legacy raw-WebSocket paths are in <c>docs/legacy-protocols.md</c>.</summary>
public static class HubRoutes
{
    public const string Generation = "/hubs/generation";
    public const string Projects = "/hubs/projects";
    public const string Incidents = "/hubs/incidents";
    public const string Study = "/hubs/study";
}
