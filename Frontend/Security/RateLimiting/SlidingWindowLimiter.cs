using System.Collections.Concurrent;
using OrleansSlm.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace OrleansSlm.Frontend.Security.RateLimiting;

/// <summary>
/// A per-caller budget per minute (<see cref="SlidingWindow"/>), of requests or of tokens. With Redis configured the
/// counts live there and one script checks and adds atomically, so every frontend shares the budget; without Redis, or
/// while it does not answer, each frontend counts on its own. A refused request costs nothing.
/// </summary>
public sealed class SlidingWindowLimiter(string kind, long limit, RedisConnection? redis, string keyPrefix, TimeProvider clock, ILogger logger)
{
    // KEYS[1] this window's count, KEYS[2] the previous one's; ARGV cost, limit, fraction, expiry in seconds.
    private const string CheckAndAddScript = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
        local allowed = 0
        if previous * (1 - tonumber(ARGV[3])) + current + tonumber(ARGV[1]) <= tonumber(ARGV[2]) then
          redis.call('INCRBY', KEYS[1], ARGV[1])
          redis.call('EXPIRE', KEYS[1], ARGV[4])
          allowed = 1
        end
        return {allowed, previous, current}
        """;

    private readonly ConcurrentDictionary<string, LocalCounts> _local = new();
    private long _localSweptWindow;

    public string Kind => kind;

    public long Limit => limit;

    public async Task<LimitDecision> TryAcquireAsync(string caller, long cost)
    {
        var (window, fraction) = SlidingWindow.Locate(clock.GetUtcNow());
        var (allowed, previous, current) = await CountInRedisAsync(caller, cost, window, fraction) ?? CountLocally(caller, cost, window, fraction);
        return SlidingWindow.Describe(allowed, previous, current, fraction, cost, limit);
    }

    private async Task<(bool, long, long)?> CountInRedisAsync(string caller, long cost, long window, double fraction)
    {
        if (redis is null)
        {
            return null;
        }

        try
        {
            var database = await redis.GetDatabaseAsync();
            // The caller in braces is a hash tag: both windows' keys land on one Redis Cluster slot, as a script needs.
            var key = $"{keyPrefix}ratelimit:{kind}:{{{caller}}}:";
            var result = (RedisResult[])(await database.ScriptEvaluateAsync(
                CheckAndAddScript,
                [key + window, key + (window - 1)],
                [cost, limit, fraction, (long)(2 * SlidingWindow.Length.TotalSeconds) + 1]))!;
            return ((long)result[0] == 1, (long)result[1], (long)result[2]);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Redis is unavailable, limiting {Kind} per frontend: {Message}", kind, exception.Message);
            return null;
        }
    }

    private (bool, long, long) CountLocally(string caller, long cost, long window, double fraction)
    {
        SweepOnNewWindow(window);
        var counts = _local.GetOrAdd(caller, _ => new LocalCounts());
        lock (counts)
        {
            counts.MoveTo(window);
            var (previous, current) = (counts.Previous, counts.Current);
            var allowed = SlidingWindow.Fits(previous, current, fraction, cost, limit);
            if (allowed)
            {
                counts.Current += cost;
            }

            return (allowed, previous, current);
        }
    }

    /// <summary>Once per window, callers idle for two windows are dropped, so the map holds only recent callers.</summary>
    private void SweepOnNewWindow(long window)
    {
        var swept = Interlocked.Read(ref _localSweptWindow);
        if (swept == window || Interlocked.CompareExchange(ref _localSweptWindow, window, swept) != swept)
        {
            return;
        }

        foreach (var (caller, counts) in _local)
        {
            if (counts.Window < window - 1)
            {
                _local.TryRemove(caller, out _);
            }
        }
    }

    private sealed class LocalCounts
    {
        public long Window { get; private set; }

        public long Previous { get; private set; }

        public long Current { get; set; }

        public void MoveTo(long window)
        {
            if (window == Window)
            {
                return;
            }

            Previous = window == Window + 1 ? Current : 0;
            Current = 0;
            Window = window;
        }
    }
}
