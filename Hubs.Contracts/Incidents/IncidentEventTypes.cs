namespace Hubs.Contracts.Incidents;

/// <summary>The event types the service accepts, and the priority rule of the incident protocol.</summary>
public static class IncidentEventTypes
{
    public const string IncidentCreated = "incident_created";
    public const string IncidentUpdated = "incident_updated";
    public const string IncidentResolved = "incident_resolved";
    public const string AlertReceived = "alert_received";
    public const string Escalated = "escalated";
    public const string PlaybookStarted = "playbook_started";
    public const string PlaybookCompleted = "playbook_completed";
    public const string Notification = "notification";
    public const string Assignment = "assignment";
    public const string Comment = "comment";
    public const string System = "system";

    public static IReadOnlyList<string> All { get; } =
    [
        IncidentCreated, IncidentUpdated, IncidentResolved, AlertReceived, Escalated,
        PlaybookStarted, PlaybookCompleted, Notification, Assignment, Comment, System,
    ];

    public static IReadOnlyList<string> Severities { get; } = ["P0", "P1", "P2", "P3", "P4"];
}
