namespace OrleansSlm.Frontend.Security;

/// <summary>The <c>RateLimit</c> configuration section.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    /// <summary>Requests per minute per API key (per client address when keys are off); 0 turns the limit off.</summary>
    public int RequestsPerMinute { get; set; }
}
