namespace Hubs.Server.Security;

/// <summary>The request paths that open long-lived connections: SignalR hubs and the legacy WebSocket endpoints.</summary>
internal static class ConnectionPaths
{
    public static readonly PathString Hubs = new("/hubs");
    public static readonly PathString LegacyWs = new("/ws");
    public static readonly PathString LegacyApiWs = new("/api/ws");

    /// <summary><c>/hubs/*</c>, <c>/ws</c>, <c>/ws/*</c>, <c>/api/ws/*</c> (case-insensitive, whole segments).</summary>
    public static bool IsConnectionPath(PathString path) =>
        path.StartsWithSegments(Hubs, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(LegacyWs, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(LegacyApiWs, StringComparison.OrdinalIgnoreCase);
}
