namespace Hubs.Server.Legacy;

/// <summary>
/// On the features of every connection a legacy bridge runs: tells hub filters that the connection is a legacy socket
/// and of which endpoint, and carries the per-socket state that one-at-a-time rules need.
/// </summary>
internal sealed class LegacyConnectionFeature(string protocolName)
{
    private object? _runningStream;

    /// <summary>The <see cref="LegacyHubProtocol.Name"/> of the socket's protocol.</summary>
    public string ProtocolName { get; } = protocolName;

    /// <summary>Claims the socket's single stream slot; false when a stream already holds it.</summary>
    public bool TryStartStream(object owner) => Interlocked.CompareExchange(ref _runningStream, owner, null) is null;

    /// <summary>Frees the slot if <paramref name="owner"/> still holds it.</summary>
    public void EndStream(object owner) => Interlocked.CompareExchange(ref _runningStream, null, owner);
}
