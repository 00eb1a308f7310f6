using System.Globalization;

namespace OrleansSlm.Frontend.Security.RateLimiting;

/// <summary>OpenAI's rate-limit headers, for <c>requests</c> or <c>tokens</c>.</summary>
public static class RateLimitHeaders
{
    public static void Write(HttpResponse response, string kind, LimitDecision decision)
    {
        response.Headers[$"x-ratelimit-limit-{kind}"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers[$"x-ratelimit-remaining-{kind}"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers[$"x-ratelimit-reset-{kind}"] = Duration(decision.ResetAfter);
    }

    /// <summary>A refused request's <c>Retry-After</c> in whole seconds, rounded up so that a retry at once after it fits.</summary>
    public static void WriteRetryAfter(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>A duration as OpenAI writes it: <c>250ms</c>, <c>1.5s</c>, <c>6m0s</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        var milliseconds = (long)Math.Ceiling(duration.TotalMilliseconds);
        if (milliseconds < 1000)
        {
            return $"{milliseconds}ms";
        }

        var minutes = milliseconds / 60_000;
        var seconds = (milliseconds % 60_000) / 1000.0;
        var secondsText = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        return minutes > 0 ? $"{minutes}m{secondsText}s" : $"{secondsText}s";
    }
}
