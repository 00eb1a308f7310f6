namespace OrleansSlm.Frontend.Users;

/// <summary>The <c>Cache</c> configuration section.</summary>
public sealed class UserCacheOptions
{
    public const string SectionName = "Cache";

    /// <summary>How long <c>GET /users</c> and <c>GET /users/{id}</c> answers stay in Redis.</summary>
    public int UsersTtlSeconds { get; set; } = 60;

    /// <summary>Prepended to every key, so that several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "orleans-slm:";
}
