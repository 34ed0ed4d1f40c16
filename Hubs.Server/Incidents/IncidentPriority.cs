using Hubs.Contracts.Incidents;

namespace Hubs.Server.Incidents;

/// <summary>The priority rule of the incident protocol (LEGACY.md §4).</summary>
internal static class IncidentPriority
{
    public const string Critical = "critical";
    public const string High = "high";
    public const string Normal = "normal";

    public static string For(string eventType, string severity) => eventType switch
    {
        IncidentEventTypes.Escalated => Critical,
        IncidentEventTypes.IncidentCreated or IncidentEventTypes.AlertReceived when severity is "P0" or "P1" => High,
        _ => Normal,
    };
}
