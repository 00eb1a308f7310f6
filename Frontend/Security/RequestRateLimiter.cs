using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrleansSlm.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace OrleansSlm.Frontend.Security;

/// <summary>
/// A fixed one-minute window per caller. With Redis configured the counters live there, so every frontend
/// shares them; without Redis, or while it does not answer, each frontend counts on its own.
/// </summary>
public sealed class RequestRateLimiter(
    IOptions<RateLimitOptions> options,
    IOptions<RedisOptions> redisOptions,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<RequestRateLimiter> logger)
{
    private readonly int _limit = options.Value.RequestsPerMinute;
    private readonly RedisConnection? _redis = services.GetService<RedisConnection>();
    private readonly ConcurrentDictionary<string, int> _localCounters = new();
    private long _localWindow;

    public bool Enabled => _limit > 0;

    /// <summary>Counts one request; returns the seconds to wait when the caller is over its limit, else null.</summary>
    public async Task<int?> TryAcquireAsync(string caller)
    {
        var now = clock.GetUtcNow();
        var window = now.ToUnixTimeSeconds() / 60;
        var retryAfter = (int)(60 - (now.ToUnixTimeSeconds() % 60));
        var count = await CountInRedisAsync(caller, window) ?? CountLocally(caller, window);
        return count > _limit ? retryAfter : null;
    }

    private async Task<long?> CountInRedisAsync(string caller, long window)
    {
        if (_redis is null)
        {
            return null;
        }

        try
        {
            var database = await _redis.GetDatabaseAsync();
            var key = $"{redisOptions.Value.KeyPrefix}ratelimit:{caller}:{window}";
            var count = await database.StringIncrementAsync(key);
            if (count == 1)
            {
                await database.KeyExpireAsync(key, TimeSpan.FromSeconds(61));
            }

            return count;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Redis is unavailable, rate limiting per frontend: {Message}", exception.Message);
            return null;
        }
    }

    /// <summary>Counters of past windows are dropped when a new window starts, so the map holds only this minute's callers.</summary>
    private int CountLocally(string caller, long window)
    {
        if (Interlocked.Exchange(ref _localWindow, window) != window)
        {
            _localCounters.Clear();
        }

        return _localCounters.AddOrUpdate(caller, 1, (_, count) => count + 1);
    }
}
