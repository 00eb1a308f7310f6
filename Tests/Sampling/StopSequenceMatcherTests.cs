using OrleansSlm.Engine.Sampling;

namespace OrleansSlm.Tests.Sampling;

public sealed class StopSequenceMatcherTests
{
    [Fact]
    public void A_stop_split_across_pushes_is_caught_and_not_emitted()
    {
        var matcher = new StopSequenceMatcher(["\nUser:"]);

        string[] pushes = ["The answer", " is red.\nUs", "er: and more"];

        var emitted = pushes.Select(matcher.Push).ToList();

        Assert.Equal(new StopMatch("The answer", false), emitted[0]);
        Assert.Equal(new StopMatch(" is red.", false), emitted[1]);
        Assert.Equal(new StopMatch(string.Empty, true), emitted[2]);
    }

    [Fact]
    public void Text_that_stops_looking_like_a_stop_is_released()
    {
        var matcher = new StopSequenceMatcher(["###"]);

        Assert.Equal(new StopMatch("a ", false), matcher.Push("a #"));
        Assert.Equal(new StopMatch(string.Empty, false), matcher.Push("#"));
        Assert.Equal(new StopMatch("##!", false), matcher.Push("!"));
    }

    [Fact]
    public void Only_a_tail_that_can_still_start_a_stop_is_held_back()
    {
        var matcher = new StopSequenceMatcher(["END", "STOP"]);

        Assert.Equal(new StopMatch("hello ", false), matcher.Push("hello ST"));
        Assert.Equal("ST", matcher.Flush());
    }

    [Fact]
    public void The_earliest_of_several_stops_wins_and_text_before_it_is_emitted()
    {
        var matcher = new StopSequenceMatcher(["world", "lo"]);

        Assert.Equal(new StopMatch("hel", true), matcher.Push("hello world"));
        Assert.Equal(new StopMatch(string.Empty, true), matcher.Push("more"));
    }

    [Fact]
    public void A_stop_spread_one_character_per_push_is_caught()
    {
        var matcher = new StopSequenceMatcher(["<|im_end|>"]);
        var emitted = "ok<|im_end|>tail".Select(c => matcher.Push(c.ToString())).ToList();

        Assert.Equal("ok", string.Concat(emitted.Select(match => match.Emit)));
        Assert.True(emitted[^1].Stopped);
        Assert.DoesNotContain(emitted, match => match.Emit.Contains('<'));
    }

    [Fact]
    public void Without_stops_everything_passes_through()
    {
        var matcher = new StopSequenceMatcher([]);

        Assert.Equal(new StopMatch("anything", false), matcher.Push("anything"));
        Assert.Equal(string.Empty, matcher.Flush());
    }

    [Fact]
    public void An_empty_stop_string_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new StopSequenceMatcher(["", "x"]));
    }
}
