using StackExchange.Redis;

namespace Hubs.Server.Scaleout.Redis;

/// <summary>
/// <see cref="IUserPresence"/> across instances. Each instance owns one hash <c>p:presence:{instance}</c>
/// (user → its connection ids here) that expires unless the instance refreshes it, plus its score in
/// <c>p:presence:instances</c>; a dead instance's users therefore vanish after <c>Redis:PresenceTtl</c> instead of
/// staying as ghosts. The heartbeat rewrites the whole hash from this instance's own list, which also restores it
/// after Redis lost its data. While Redis is down answers fall back to this instance's view.
/// </summary>
internal sealed class RedisUserPresence : IUserPresence, IHostedService, IDisposable
{
    private const string Live = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[1]))
        local live = redis.call('ZRANGE', KEYS[2], 0, -1)
        """;

    // KEYS: instance hash, instances; ARGV: ttl, instance id, key prefix, user, connection.
    private const string ConnectedScript = Live + "\n" + """
        local cur = redis.call('HGET', KEYS[1], ARGV[4])
        if cur then cur = cur .. ' ' .. ARGV[5] else cur = ARGV[5] end
        redis.call('HSET', KEYS[1], ARGV[4], cur)
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[2], now, ARGV[2])
        if string.find(cur, ' ', 1, true) then return 0 end
        for _, inst in ipairs(live) do
          if inst ~= ARGV[2] and redis.call('HEXISTS', ARGV[3] .. inst, ARGV[4]) == 1 then return 0 end
        end
        return 1
        """;

    private const string DisconnectedScript = Live + "\n" + """
        local cur = redis.call('HGET', KEYS[1], ARGV[4])
        if not cur then return 0 end
        local rest = {}
        local found = false
        for w in string.gmatch(cur, '%S+') do
          if w == ARGV[5] then found = true else table.insert(rest, w) end
        end
        if not found then return 0 end
        if #rest > 0 then
          redis.call('HSET', KEYS[1], ARGV[4], table.concat(rest, ' '))
          return 0
        end
        redis.call('HDEL', KEYS[1], ARGV[4])
        for _, inst in ipairs(live) do
          if inst ~= ARGV[2] and redis.call('HEXISTS', ARGV[3] .. inst, ARGV[4]) == 1 then return 0 end
        end
        return 1
        """;

    private const string ConnectionsScript = Live + "\n" + """
        local result = {}
        for _, inst in ipairs(live) do
          local cur = redis.call('HGET', ARGV[3] .. inst, ARGV[4])
          if cur then
            for w in string.gmatch(cur, '%S+') do table.insert(result, w) end
          end
        end
        return result
        """;

    private const string CountScript = Live + "\n" + """
        local users = {}
        local userCount = 0
        local sockets = 0
        for _, inst in ipairs(live) do
          local all = redis.call('HGETALL', ARGV[3] .. inst)
          for i = 1, #all, 2 do
            if not users[all[i]] then users[all[i]] = true; userCount = userCount + 1 end
            for _ in string.gmatch(all[i + 1], '%S+') do sockets = sockets + 1 end
          end
        end
        return {userCount, sockets}
        """;

    // ARGV: ttl, instance id, then user/connections pairs.
    private const string RewriteScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('DEL', KEYS[1])
        for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[2], now, ARGV[2])
        return 1
        """;

    private readonly RedisConnection _redis;
    private readonly ILogger<RedisUserPresence> _logger;
    private readonly InMemoryUserPresence _local = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly RedisKey[] _keys;
    private readonly string _keyPrefix;
    private readonly long _ttlMs;
    private CancellationTokenSource? _stopping;
    private Task? _heartbeat;

    public RedisUserPresence(RedisConnection redis, ILogger<RedisUserPresence> logger)
    {
        _redis = redis;
        _logger = logger;
        _keys = [redis.Channels.PresenceInstance(redis.InstanceId), redis.Channels.PresenceInstances];
        _keyPrefix = redis.Channels.PresenceInstance(string.Empty);
        _ttlMs = (long)redis.Options.PresenceTtl.TotalMilliseconds;
        redis.OnRestored(RewriteAsync);
    }

    public async ValueTask<bool> ConnectedAsync(string userId, string connectionId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var firstHere = await _local.ConnectedAsync(userId, connectionId, cancellationToken);
            return await EvaluateAsync(ConnectedScript, userId, connectionId) is { } result ? (int)result == 1 : firstHere;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<bool> DisconnectedAsync(string userId, string connectionId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var lastHere = await _local.DisconnectedAsync(userId, connectionId, cancellationToken);
            return await EvaluateAsync(DisconnectedScript, userId, connectionId) is { } result ? (int)result == 1 : lastHere;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<IReadOnlyList<string>> ConnectionsAsync(string userId, CancellationToken cancellationToken)
    {
        if (await EvaluateAsync(ConnectionsScript, userId, string.Empty) is { } result)
        {
            return [.. ((RedisResult[])result!).Select(r => (string)r!)];
        }

        return await _local.ConnectionsAsync(userId, cancellationToken);
    }

    public async ValueTask<PresenceCounts> CountAsync(CancellationToken cancellationToken)
    {
        if (await EvaluateAsync(CountScript, string.Empty, string.Empty) is { } result)
        {
            var counts = (RedisResult[])result!;
            return new PresenceCounts((int)counts[0], (int)counts[1]);
        }

        return await _local.CountAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = new CancellationTokenSource();
        _heartbeat = HeartbeatAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _heartbeat!.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        _stopping?.Dispose();
        _gate.Dispose();
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_redis.Options.PresenceTtl / 3);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                await RewriteAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                RedisLog.PresenceRefreshFailed(_logger, ex);
            }
        }
    }

    private async Task RewriteAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var args = new List<RedisValue> { _ttlMs, _redis.InstanceId };
            foreach (var (user, connections) in _local.Snapshot())
            {
                args.Add(user);
                args.Add(string.Join(' ', connections));
            }

            var database = await _redis.DatabaseAsync();
            await database.ScriptEvaluateAsync(RewriteScript, _keys, [.. args]);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<RedisResult?> EvaluateAsync(string script, string userId, string connectionId)
    {
        try
        {
            var database = await _redis.DatabaseAsync();
            return await database.ScriptEvaluateAsync(script, _keys, [_ttlMs, _redis.InstanceId, _keyPrefix, userId, connectionId]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisLog.PresenceRefreshFailed(_logger, ex);
            return null;
        }
    }
}
