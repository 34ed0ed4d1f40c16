namespace Hubs.Server.Scaleout;

/// <summary>
/// Every <see cref="IEventLog"/> topic and stream name, in one place. Backends add their own prefix
/// (Redis keys/channels: <c>{Redis:ChannelPrefix}:</c>); changing a name here is a wire change.
/// </summary>
internal static class EventStreams
{
    /// <summary>Topic on which every incident event is broadcast (once per event; instances filter locally).</summary>
    public const string IncidentsTopic = "incidents";

    /// <summary>
    /// Topic on which one project's updates are broadcast. One topic per project, so an instance subscribes only to
    /// the projects its connections follow and does no work for the others' updates.
    /// </summary>
    public static string ProjectTopic(string projectId) => "project:" + projectId;

    /// <summary>The retained history of incident events (one stream, so ids order all events).</summary>
    public const string Incidents = "history:incidents";

    /// <summary>The retained history of one project's updates.</summary>
    public static string Project(string projectId) => "history:project:" + projectId;

    /// <summary>The durable agent queue of one type (pm, dev, qa, ops).</summary>
    public static string AgentQueue(string queue) => "queue:" + queue;
}
