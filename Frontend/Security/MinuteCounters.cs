using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrleansSlm.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace OrleansSlm.Frontend.Security;

/// <summary>
/// Counts per name in fixed calendar-minute windows, for the sign-in limit, whose successful attempts give their
/// place back (the API's limits are sliding windows, <see cref="RateLimiting.SlidingWindowLimiter"/>, which never
/// take back). With Redis configured the counters live there, so every frontend shares them; without Redis, or while
/// it does not answer, each frontend counts on its own.
/// </summary>
public sealed class MinuteCounters(IOptions<RedisOptions> redisOptions, IServiceProvider services, TimeProvider clock, ILogger<MinuteCounters> logger)
{
    private readonly RedisConnection? _redis = services.GetService<RedisConnection>();
    private readonly ConcurrentDictionary<string, long> _localCounters = new();
    private long _localWindow;

    /// <summary>Seconds until the current window ends: what a caller over a limit is told to wait.</summary>
    public int SecondsLeft() => (int)(60 - (clock.GetUtcNow().ToUnixTimeSeconds() % 60));

    /// <summary>Adds <paramref name="delta"/> to this minute's count of <paramref name="name"/> and returns the new count.</summary>
    public async Task<long> AddAsync(string name, long delta)
    {
        var window = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        return await AddInRedisAsync(name, window, delta) ?? AddLocally(name, window, delta);
    }

    private async Task<long?> AddInRedisAsync(string name, long window, long delta)
    {
        if (_redis is null)
        {
            return null;
        }

        try
        {
            var database = await _redis.GetDatabaseAsync();
            var key = $"{redisOptions.Value.KeyPrefix}{name}:{window}";
            var count = await database.StringIncrementAsync(key, delta);
            if (count == delta)
            {
                await database.KeyExpireAsync(key, TimeSpan.FromSeconds(61));
            }

            return count;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Redis is unavailable, counting per frontend: {Message}", exception.Message);
            return null;
        }
    }

    /// <summary>Counters of past windows are dropped when a new window starts, so the map holds only this minute's names.</summary>
    private long AddLocally(string name, long window, long delta)
    {
        if (Interlocked.Exchange(ref _localWindow, window) != window)
        {
            _localCounters.Clear();
        }

        return _localCounters.AddOrUpdate(name, delta, (_, count) => count + delta);
    }
}
