namespace Hubs.Client;

/// <summary>How a session ended: the error (null for a clean close) and whether the server allows a reconnect.</summary>
internal readonly record struct SessionEnd(Exception? Error, bool AllowReconnect);
