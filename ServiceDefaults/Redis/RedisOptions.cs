namespace OrleansSlm.ServiceDefaults.Redis;

/// <summary>How this deployment names its Redis keys (the <c>Cache</c> section's <c>KeyPrefix</c>), for every feature that keeps keys there.</summary>
public sealed class RedisOptions
{
    public const string SectionName = "Cache";

    /// <summary>Prepended to every key, so that several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "orleans-slm:";
}
