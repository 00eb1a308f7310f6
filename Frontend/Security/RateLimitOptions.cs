namespace OrleansSlm.Frontend.Security;

/// <summary>The <c>RateLimit</c> configuration section: per API key (per client address when keys are off); 0 turns a limit off.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    /// <summary>Requests in any 60 s (a sliding window), on every route but the probes, metrics and the dashboard.</summary>
    public int RequestsPerMinute { get; set; }

    /// <summary>
    /// Tokens in any 60 s (a sliding window) of chat completions and questions, each counted when admitted as its
    /// prompt's estimate plus the most it may generate.
    /// </summary>
    public long TokensPerMinute { get; set; }

    /// <summary>Chat completions and questions running at once.</summary>
    public int MaxConcurrentRequests { get; set; }
}
