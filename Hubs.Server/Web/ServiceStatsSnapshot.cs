namespace Hubs.Server.Web;

/// <summary>
/// Body of <c>GET /api/stats</c> (snake_case on the wire): <c>{"instance","started_at","now","connections":{"generation":n,...},
/// "generations_started","generations_running","incident_events","project_updates"}</c>.
/// </summary>
internal sealed record ServiceStatsSnapshot(
    string Instance,
    DateTimeOffset StartedAt,
    DateTimeOffset Now,
    IReadOnlyDictionary<string, long> Connections,
    long GenerationsStarted,
    long GenerationsRunning,
    long IncidentEvents,
    long ProjectUpdates);
