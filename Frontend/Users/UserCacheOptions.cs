namespace OrleansSlm.Frontend.Users;

/// <summary>The users cache's settings in the <c>Cache</c> section (its key prefix is <see cref="ServiceDefaults.Redis.RedisOptions"/>'s).</summary>
public sealed class UserCacheOptions
{
    public const string SectionName = "Cache";

    /// <summary>How long <c>GET /users</c> and <c>GET /users/{id}</c> answers stay in Redis.</summary>
    public int UsersTtlSeconds { get; set; } = 60;

    /// <summary>
    /// How long a <c>GET /users/{id}</c> that found no user is answered from Redis: long enough that repeated lookups
    /// of a missing id do not each activate a grain and read its storage, short because nothing but a create of that id
    /// (which replaces the entry) could make it wrong.
    /// </summary>
    public int UsersNotFoundTtlSeconds { get; set; } = 5;
}
