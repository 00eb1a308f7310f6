namespace OrleansSlm.Frontend.Security.RateLimiting;

/// <summary>
/// The sliding-window counter: the use in the minute before now is estimated as this minute's count plus the previous
/// minute's count weighted by the part of it still inside the last 60 s. Unlike a fixed window, a caller cannot spend
/// its limit at the end of one minute and again at the start of the next. Pure, so every edge is tested without Redis.
/// </summary>
public static class SlidingWindow
{
    public static readonly TimeSpan Length = TimeSpan.FromMinutes(1);

    /// <summary>The index of the window holding <paramref name="now"/>, and how far into it (0 to 1) now is.</summary>
    public static (long Index, double Fraction) Locate(DateTimeOffset now)
    {
        var milliseconds = now.ToUnixTimeMilliseconds();
        var length = (long)Length.TotalMilliseconds;
        return (milliseconds / length, milliseconds % length / (double)length);
    }

    public static double Used(long previous, long current, double fraction) => previous * (1 - fraction) + current;

    /// <summary>Whether <paramref name="cost"/> more fits under <paramref name="limit"/>, given the counts before it is added.</summary>
    public static bool Fits(long previous, long current, double fraction, long cost, long limit) => Used(previous, current, fraction) + cost <= limit;

    /// <summary>
    /// What the caller is told, given the counts before this request and whether it was admitted (the counter that
    /// admitted it decided, atomically, with <see cref="Fits"/>).
    /// </summary>
    public static LimitDecision Describe(bool allowed, long previous, long current, double fraction, long cost, long limit)
    {
        var currentAfter = allowed ? current + cost : current;
        var used = Used(previous, currentAfter, fraction);
        var remaining = (long)Math.Max(0, Math.Floor(limit - used));
        var toWindowEnd = (1 - fraction) * Length;
        var resetAfter = currentAfter > 0 ? toWindowEnd + Length : previous > 0 ? toWindowEnd : TimeSpan.Zero;
        return new LimitDecision(allowed, limit, remaining, resetAfter, allowed ? null : RetryAfter(previous, current, fraction, cost, limit));
    }

    /// <summary>How long until <paramref name="cost"/> fits; null when it never can (it alone is over the limit).</summary>
    private static TimeSpan? RetryAfter(long previous, long current, double fraction, long cost, long limit)
    {
        if (cost > limit)
        {
            return null;
        }

        // Within this window the previous minute's share drains at previous / Length.
        var excess = Used(previous, current, fraction) + cost - limit;
        if (previous > 0 && previous * (1 - fraction) >= excess)
        {
            return excess / previous * Length;
        }

        // From the next window on, this window's count is the one that drains.
        var toWindowEnd = (1 - fraction) * Length;
        var intoNext = current + cost <= limit ? 0 : 1 - (double)(limit - cost) / current;
        return toWindowEnd + intoNext * Length;
    }
}
