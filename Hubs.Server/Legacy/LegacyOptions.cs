namespace Hubs.Server.Legacy;

/// <summary>Configuration section <c>Legacy</c>: the raw-JSON WebSocket endpoints (shared/protocols/LEGACY.md).</summary>
internal sealed class LegacyOptions
{
    public const string SectionName = "Legacy";

    /// <summary>
    /// The incident protocol's idle rule (seed 004 <c>session_timeout_secs</c>): a socket that sends no frame for this
    /// long gets <c>{"type":"closing","reason":"session_timeout"}</c> and is closed. 0 switches the rule off.
    /// </summary>
    public int SessionTimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// How long closing a socket may take: the hub finishing the connection, the last frames and the goodbye leaving,
    /// and the client answering the close frame. A client that does not read in that time is cut off.
    /// </summary>
    public int CloseTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// <c>/api/ws/{user_id}</c> requires a token even where anonymous connections are allowed (Development), as the
    /// legacy contract says. Set false to let anonymous Development clients use the path's user.
    /// </summary>
    public bool RequireUserChannelToken { get; set; } = true;
}
