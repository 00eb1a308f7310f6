using Microsoft.Extensions.Options;
using OrleansSlm.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace OrleansSlm.Frontend.Users;

/// <summary>
/// Cache-aside for user reads in Redis. Redis is an accelerator, never a dependency: when it is not
/// configured or does not answer, reads and writes go to the grains alone.
/// </summary>
public sealed class UserCache(IServiceProvider services, IOptions<UserCacheOptions> options, IOptions<RedisOptions> redisOptions, ILogger<UserCache> logger)
{
    private readonly RedisConnection? _redis = services.GetService<RedisConnection>();
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.UsersTtlSeconds);
    private readonly string _prefix = redisOptions.Value.KeyPrefix;

    public string UserKey(long id) => $"{_prefix}users:{id}";

    public string ListKey(int offset, int limit) => $"{_prefix}users:list:{offset}:{limit}";

    /// <summary>Every cached list page is named in this set, so that a write can drop them all.</summary>
    public string ListKeysSet => $"{_prefix}users:list-keys";

    public async Task<string?> GetAsync(string key)
    {
        var value = await TryAsync(async database => (string?)await database.StringGetAsync(key));
        return value;
    }

    public Task SetUserAsync(long id, string json) =>
        TryAsync(async database => await database.StringSetAsync(UserKey(id), json, _ttl));

    public Task SetListAsync(string key, string json) => TryAsync(async database =>
    {
        var transaction = database.CreateTransaction();
        _ = transaction.SetAddAsync(ListKeysSet, key);
        _ = transaction.KeyExpireAsync(ListKeysSet, _ttl);
        _ = transaction.StringSetAsync(key, json, _ttl);
        return await transaction.ExecuteAsync();
    });

    /// <summary>Drops the user's own entry and every list page, since any write can change any page.</summary>
    public Task InvalidateAsync(long id) => TryAsync(async database =>
    {
        var listKeys = await database.SetMembersAsync(ListKeysSet);
        var keys = listKeys.Select(key => new RedisKey(key.ToString())).Append(UserKey(id)).Append(ListKeysSet).ToArray();
        return await database.KeyDeleteAsync(keys);
    });

    private async Task<T?> TryAsync<T>(Func<IDatabase, Task<T>> operation)
    {
        if (_redis is null)
        {
            return default;
        }

        try
        {
            return await operation(await _redis.GetDatabaseAsync());
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Redis is unavailable, serving users without the cache: {Message}", exception.Message);
            return default;
        }
    }
}
