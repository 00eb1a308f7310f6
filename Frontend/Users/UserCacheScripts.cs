namespace OrleansSlm.Frontend.Users;

/// <summary>The Lua scripts of <see cref="UserCache"/>: each compares and sets in one step, which no pair of commands can.</summary>
internal static class UserCacheScripts
{
    /// <summary>
    /// Stores version ARGV[1] in the hash KEYS[1] for ARGV[2] ms, with body ARGV[3] when given (an answer) or none (a
    /// floor: "a write left this version; read again"). An entry that holds a higher version is kept; so is an answer
    /// at the version of a floor being stored. Returns 1 when stored.
    /// </summary>
    public const string StoreIfNotOlder = """
        local stored = tonumber(redis.call('HGET', KEYS[1], 'version'))
        local version = tonumber(ARGV[1])
        if stored and (stored > version or (stored == version and ARGV[3] == nil)) then
          return 0
        end
        redis.call('DEL', KEYS[1])
        if ARGV[3] then
          redis.call('HSET', KEYS[1], 'version', ARGV[1], 'body', ARGV[3])
        else
          redis.call('HSET', KEYS[1], 'version', ARGV[1])
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    /// <summary>
    /// The list generation KEYS[1], seeded with ARGV[1] when missing. The seed comes from the clock: a generation key
    /// lost to eviction or a flush starts again above every generation used before, so no page still cached under an
    /// old generation can be reached again.
    /// </summary>
    public const string ListGeneration = """
        redis.call('SET', KEYS[1], ARGV[1], 'NX')
        return redis.call('GET', KEYS[1])
        """;

    /// <summary>Advances the list generation KEYS[1] (seeded as in <see cref="ListGeneration"/>), leaving every cached page behind.</summary>
    public const string NextListGeneration = """
        redis.call('SET', KEYS[1], ARGV[1], 'NX')
        return redis.call('INCR', KEYS[1])
        """;
}
