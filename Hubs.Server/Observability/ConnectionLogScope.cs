using System.Collections;

namespace Hubs.Server.Observability;

/// <summary>
/// The logging scope of a hub connection: with scopes on (the JSON console default) every log line written
/// while the hub handles this connection carries its connection id, hub and user. Built once per connection.
/// </summary>
internal sealed class ConnectionLogScope(string connectionId, string hub, string? userId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 3;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("HubConnectionId", connectionId),
        1 => new("Hub", hub),
        2 => new("UserId", userId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"HubConnectionId:{connectionId} Hub:{hub} UserId:{userId}";
}
