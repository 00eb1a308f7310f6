using OrleansSlm.Frontend.Security.RateLimiting;

namespace OrleansSlm.Tests.RateLimiting;

public sealed class SlidingWindowTests
{
    private const long Limit = 10;

    [Fact]
    public void A_budget_spent_at_the_end_of_a_minute_is_not_spent_again_at_the_start_of_the_next()
    {
        // The whole budget at 59 s into one window; a fixed window would admit ten more at 1 s into the next.
        var justAfter = 1.0 / 60;

        Assert.False(SlidingWindow.Fits(previous: Limit, current: 0, justAfter, cost: 1, Limit));
        Assert.True(SlidingWindow.Fits(previous: Limit, current: 0, fraction: 0.5, cost: 5, Limit));
        Assert.False(SlidingWindow.Fits(previous: Limit, current: 0, fraction: 0.5, cost: 6, Limit));
    }

    [Fact]
    public void In_any_sixty_seconds_a_caller_retrying_at_once_gets_no_more_than_the_limit_plus_the_rounding_of_one_request()
    {
        // A caller that asks every second, admitted whenever the counter says so, over five minutes.
        long previous = 0, current = 0, window = 0;
        var admittedAt = new List<int>();
        for (var second = 0; second < 300; second++)
        {
            if (second / 60 != window)
            {
                (previous, current, window) = (current, 0, second / 60);
            }

            if (SlidingWindow.Fits(previous, current, second % 60 / 60.0, 1, Limit))
            {
                current++;
                admittedAt.Add(second);
            }
        }

        var busiestMinute = Enumerable.Range(0, 240).Max(start => admittedAt.Count(at => at >= start && at < start + 60));
        Assert.InRange(busiestMinute, Limit, Limit + 1);
    }

    [Fact]
    public void A_refused_request_is_told_when_it_fits()
    {
        var refused = SlidingWindow.Describe(allowed: false, previous: Limit, current: 0, fraction: 0.5, cost: 6, Limit);

        // Five of the previous window's ten still count; one more must drain, at ten a minute: six seconds.
        Assert.Equal(6, refused.RetryAfter!.Value.TotalSeconds, 3);
        Assert.True(SlidingWindow.Fits(Limit, 0, 0.5 + 6.0 / 60 + 1e-9, 6, Limit));
        Assert.Equal(5, refused.Remaining);
    }

    [Fact]
    public void A_refusal_caused_by_this_windows_count_waits_into_the_next_window()
    {
        var refused = SlidingWindow.Describe(allowed: false, previous: 0, current: Limit, fraction: 0.75, cost: 4, Limit);

        // 15 s to the window's end, then this window's ten must drain to six: 40 % of the next window, 24 s.
        Assert.Equal(39, refused.RetryAfter!.Value.TotalSeconds, 3);
    }

    [Fact]
    public void A_request_larger_than_the_whole_budget_never_fits()
    {
        var refused = SlidingWindow.Describe(allowed: false, previous: 0, current: 0, fraction: 0, cost: Limit + 1, Limit);

        Assert.Null(refused.RetryAfter);
    }

    [Fact]
    public void An_admitted_request_is_told_what_remains_and_when_the_budget_is_whole_again()
    {
        var admitted = SlidingWindow.Describe(allowed: true, previous: 4, current: 2, fraction: 0.5, cost: 3, Limit);

        // 4 · 0.5 + 2 + 3 = 7 used; this window's count lasts to the end of the next window: 30 s + 60 s.
        Assert.Equal((true, 3L, TimeSpan.FromSeconds(90)), (admitted.Allowed, admitted.Remaining, admitted.ResetAfter));
    }

    [Theory]
    [InlineData(250, "250ms")]
    [InlineData(1500, "1.5s")]
    [InlineData(360_000, "6m0s")]
    [InlineData(61_250, "1m1.25s")]
    public void Reset_durations_are_written_as_openai_writes_them(int milliseconds, string expected)
    {
        Assert.Equal(expected, RateLimitHeaders.Duration(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
