namespace OrleansSlm.Frontend.Users;

/// <summary>The users cache's settings in the <c>Cache</c> section (its key prefix is <see cref="ServiceDefaults.Redis.RedisOptions"/>'s).</summary>
public sealed class UserCacheOptions
{
    public const string SectionName = "Cache";

    /// <summary>How long <c>GET /users</c> and <c>GET /users/{id}</c> answers stay in Redis.</summary>
    public int UsersTtlSeconds { get; set; } = 60;
}
