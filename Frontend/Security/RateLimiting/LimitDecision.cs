namespace OrleansSlm.Frontend.Security.RateLimiting;

/// <summary>
/// One limiter's answer to one request, with what OpenAI's <c>x-ratelimit-*</c> headers tell the caller:
/// <c>ResetAfter</c> is the time until the budget is whole again; <c>RetryAfter</c>, for a refused request, the time
/// until it would fit, null when it never can.
/// </summary>
public sealed record LimitDecision(bool Allowed, long Limit, long Remaining, TimeSpan ResetAfter, TimeSpan? RetryAfter);
