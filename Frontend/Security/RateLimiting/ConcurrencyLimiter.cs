using System.Collections.Concurrent;
using OrleansSlm.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace OrleansSlm.Frontend.Security.RateLimiting;

/// <summary>
/// At most a number of requests at once per caller. With Redis configured each running request holds a lease in a
/// sorted set per caller, scored by its expiry (Redis's clock, so frontends' clocks need not agree) and renewed while
/// it runs: a frontend that dies mid-request frees its leases when they expire instead of holding them forever.
/// Without Redis, or while it does not answer, each frontend counts its own.
/// </summary>
public sealed class ConcurrencyLimiter(int limit, RedisConnection? redis, string keyPrefix, ILogger logger)
{
    /// <summary>How long a lease outlives its last renewal; renewed at a third of it.</summary>
    public static readonly TimeSpan LeaseLifetime = TimeSpan.FromSeconds(30);

    // KEYS[1] the caller's leases; ARGV lease id, limit, lifetime in ms. Returns {1 if taken, leases held after}.
    private const string AcquireScript = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
        local held = redis.call('ZCARD', KEYS[1])
        if held >= tonumber(ARGV[2]) then
          return {0, held}
        end
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return {1, held + 1}
        """;

    private const string RenewScript = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    private readonly ConcurrentDictionary<string, int> _local = new();

    public int Limit => limit;

    /// <summary>A lease to dispose when the request ends, or null when the caller already runs its limit.</summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(string caller)
    {
        var key = $"{keyPrefix}concurrency:{caller}";
        var leaseId = Guid.NewGuid().ToString("N");
        switch (await AcquireInRedisAsync(key, leaseId))
        {
            case true:
                return new RedisLease(this, key, leaseId);
            case false:
                return null;
        }

        if (_local.AddOrUpdate(caller, 1, (_, held) => held + 1) > limit)
        {
            ReleaseLocally(caller);
            return null;
        }

        return new LocalLease(this, caller);
    }

    private async Task<bool?> AcquireInRedisAsync(string key, string leaseId)
    {
        if (redis is null)
        {
            return null;
        }

        try
        {
            var database = await redis.GetDatabaseAsync();
            var result = (RedisResult[])(await database.ScriptEvaluateAsync(AcquireScript, [key], [leaseId, limit, (long)LeaseLifetime.TotalMilliseconds]))!;
            return (long)result[0] == 1;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Redis is unavailable, limiting concurrent requests per frontend: {Message}", exception.Message);
            return null;
        }
    }

    private async Task RunInRedisAsync(Func<IDatabase, Task> operation)
    {
        try
        {
            await operation(await redis!.GetDatabaseAsync());
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The lease then expires by itself within its lifetime.
            logger.LogWarning("Redis did not take a concurrency lease's renewal or release: {Message}", exception.Message);
        }
    }

    private void ReleaseLocally(string caller)
    {
        if (_local.AddOrUpdate(caller, 0, (_, held) => held - 1) <= 0)
        {
            _local.TryRemove(new KeyValuePair<string, int>(caller, 0));
        }
    }

    private sealed class LocalLease(ConcurrencyLimiter owner, string caller) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.ReleaseLocally(caller);
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class RedisLease : IAsyncDisposable
    {
        private readonly ConcurrencyLimiter _owner;
        private readonly string _key;
        private readonly string _leaseId;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewals;

        public RedisLease(ConcurrencyLimiter owner, string key, string leaseId)
        {
            (_owner, _key, _leaseId) = (owner, key, leaseId);
            _renewals = RenewAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            await _stop.CancelAsync();
            await _renewals;
            _stop.Dispose();
            await _owner.RunInRedisAsync(database => database.SortedSetRemoveAsync(_key, _leaseId));
        }

        private async Task RenewAsync()
        {
            using var timer = new PeriodicTimer(LeaseLifetime / 3);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    await _owner.RunInRedisAsync(database => database.ScriptEvaluateAsync(
                        RenewScript, [_key], [_leaseId, (long)LeaseLifetime.TotalMilliseconds]));
                }
            }
            catch (OperationCanceledException)
            {
                // Released.
            }
        }
    }
}
