namespace Hubs.Server.Scaleout.Redis;

/// <summary>
/// Every Redis channel and key Hubs uses, in one place (<c>p</c> = <c>Redis:ChannelPrefix</c>, default <c>hubs</c>).
/// Changing a name here is a wire change between instances.
/// <list type="bullet">
/// <item><c>p:hub:{Hub}:all</c>, <c>p:hub:{Hub}:group:{group}</c>, <c>p:hub:{Hub}:user:{user}</c>: hub sends; each instance
/// subscribes to a group/user channel only while it holds a member (reference counted).</item>
/// <item><c>p:hub:{Hub}:connection:{connectionId}</c>: sends, group changes and client-result invocations for one
/// connection; only the instance holding it subscribes, so <c>PUBLISH</c> returning 0 means nobody holds it.</item>
/// <item><c>p:hub:{Hub}:instance:{instanceId}</c>: acknowledgements and client results back to the asking instance.</item>
/// <item><c>p:topic:{topic}</c>: event-log broadcasts (<c>incidents</c>; <c>project:{id}</c>, subscribed by an instance
/// only while it has subscribers for the project), published by the append script.</item>
/// <item>Keys <c>p:{stream}</c>: Redis Streams (<c>history:incidents</c>, <c>history:project:{id}</c>, <c>queue:{type}</c>).</item>
/// <item>Keys <c>p:presence:{instanceId}</c> (hash user → space-separated connection ids, expiring) and
/// <c>p:presence:instances</c> (sorted set of instances by last heartbeat).</item>
/// </list>
/// Hub channel messages are <see cref="RedisHubMessage"/> JSON envelopes; topic messages are
/// <c>{id}\n{stream byte length}\n{stream}{payload}</c>.
/// </summary>
internal sealed class RedisChannels
{
    private readonly string _prefix;

    public RedisChannels(string prefix)
    {
        _prefix = prefix;
    }

    public string Topic(string topic) => $"{_prefix}:topic:{topic}";

    public string Stream(string stream) => $"{_prefix}:{stream}";

    public string PresenceInstance(string instanceId) => $"{_prefix}:presence:{instanceId}";

    public string PresenceInstances => $"{_prefix}:presence:instances";

    /// <summary>An instance's own channel for checking, after an outage, that its subscriptions deliver again.</summary>
    public string Probe(string instanceId) => $"{_prefix}:probe:{instanceId}";

    public HubChannels ForHub(string hubName) => new($"{_prefix}:hub:{hubName}");

    internal sealed class HubChannels(string hubPrefix)
    {
        public string All { get; } = hubPrefix + ":all";

        public string Group(string group) => hubPrefix + ":group:" + group;

        public string User(string user) => hubPrefix + ":user:" + user;

        public string Connection(string connectionId) => hubPrefix + ":connection:" + connectionId;

        public string Instance(string instanceId) => hubPrefix + ":instance:" + instanceId;
    }
}
