using Microsoft.Extensions.Options;
using OrleansSlm.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace OrleansSlm.Frontend.Users;

/// <summary>
/// Cache-aside for user reads in Redis. Redis is an accelerator, never a dependency: when it is not
/// configured or does not answer, reads and writes go to the grains alone.
/// </summary>
/// <remarks>
/// A user's entry is a hash of a version and, once read, the answer. The version only rises: a write leaves its
/// version behind as a floor, and a read stores what it found only if no higher version is there, so a read that
/// fetched the profile before a write cannot store it after the write has returned. A read that finds no user stores
/// that at version 0 for a few seconds; the create of that id raises it to version 1. A delete leaves "no such user"
/// one version above the last profile (ids are never reused, so that answer is final).
/// List pages are keyed by a generation that every write advances: the write makes all pages unreachable at once,
/// and the pages it leaves behind expire by their TTL.
/// </remarks>
public sealed class UserCache(
    IServiceProvider services, IOptions<UserCacheOptions> options, IOptions<RedisOptions> redisOptions, TimeProvider clock, ILogger<UserCache> logger)
{
    /// <summary>The version of "no user has this id" as a read finds it: below every profile's.</summary>
    private const long NotFoundVersion = 0;

    private readonly RedisConnection? _redis = services.GetService<RedisConnection>();
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.UsersTtlSeconds);
    private readonly TimeSpan _notFoundTtl = TimeSpan.FromSeconds(options.Value.UsersNotFoundTtlSeconds);
    private readonly string _prefix = redisOptions.Value.KeyPrefix;

    public string UserKey(long id) => $"{_prefix}users:entry:{id}";

    public string ListGenerationKey => $"{_prefix}users:list-generation";

    public string ListKey(long generation, int offset, int limit) => $"{_prefix}users:list:{generation}:{offset}:{limit}";

    /// <summary>The cached answer for user <paramref name="id"/>, or null when there is none (nothing cached, or only a floor).</summary>
    public Task<CachedUser?> GetUserAsync(long id) => TryAsync(async database =>
    {
        var body = await database.HashGetAsync(UserKey(id), "body");
        return body.IsNull ? null : new CachedUser(body.IsNullOrEmpty ? null : body.ToString());
    });

    /// <summary>Caches a profile read from its grain, unless a later version is already there.</summary>
    public Task StoreFoundAsync(long id, long version, string json) => StoreAsync(id, version, json, _ttl);

    /// <summary>Caches, briefly, that a read found no user with <paramref name="id"/>, unless a write of that id is already there.</summary>
    public Task StoreNotFoundAsync(long id) => StoreAsync(id, NotFoundVersion, string.Empty, _notFoundTtl);

    /// <summary>After a create or update returned <paramref name="version"/>: older answers can no longer be cached, and every list page is left behind.</summary>
    public Task WrittenAsync(long id, long version) => AfterWriteAsync(id, version, body: null);

    /// <summary>After a delete of the user whose last profile had <paramref name="lastVersion"/>: the answer is "no such user", and every list page is left behind.</summary>
    public Task DeletedAsync(long id, long lastVersion) => AfterWriteAsync(id, lastVersion + 1, string.Empty);

    /// <summary>The generation to key list pages by, or null without Redis.</summary>
    public async Task<long?> ListGenerationAsync()
    {
        var generation = await TryAsync(async database =>
            (long?)(long)await database.ScriptEvaluateAsync(UserCacheScripts.ListGeneration, [ListGenerationKey], [GenerationSeed()]));
        return generation;
    }

    public Task<string?> GetListAsync(string key) => TryAsync(async database => (string?)await database.StringGetAsync(key));

    public Task SetListAsync(string key, string json) => TryRunAsync(database => database.StringSetAsync(key, json, _ttl));

    private Task StoreAsync(long id, long version, string? body, TimeSpan ttl) =>
        TryRunAsync(database => StoreIfNotOlderAsync(database, id, version, body, ttl));

    private Task AfterWriteAsync(long id, long version, string? body) => TryRunAsync(database => Task.WhenAll(
        StoreIfNotOlderAsync(database, id, version, body, _ttl),
        database.ScriptEvaluateAsync(UserCacheScripts.NextListGeneration, [ListGenerationKey], [GenerationSeed()])));

    private Task<RedisResult> StoreIfNotOlderAsync(IDatabase database, long id, long version, string? body, TimeSpan ttl)
    {
        RedisValue[] arguments = body is null ? [version, (long)ttl.TotalMilliseconds] : [version, (long)ttl.TotalMilliseconds, body];
        return database.ScriptEvaluateAsync(UserCacheScripts.StoreIfNotOlder, [UserKey(id)], arguments);
    }

    /// <summary>Microseconds since 1970: above any generation counted up from an earlier seed at fewer than a million writes a second.</summary>
    private long GenerationSeed() => clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    private async Task TryRunAsync(Func<IDatabase, Task> operation) => await TryAsync(async database =>
    {
        await operation(database);
        return true;
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
