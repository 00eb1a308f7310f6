using OrleansSlm.Engine.Sampling;

namespace OrleansSlm.Tests.Sampling;

public sealed class SamplerTests
{
    private static readonly int[] None = [];

    /// <summary>Logits shaped like a model's: a seeded spread over a SmolLM2-sized vocabulary.</summary>
    private static float[] Logits(int seed, int size = 49152)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, size).Select(_ => (float)(random.NextDouble() * 8 - 4))];
    }

    private static List<int> Draw(SamplingOptions options, float[] logits, int count)
    {
        var sampler = new Sampler(options);
        return [.. Enumerable.Range(0, count).Select(_ => sampler.Sample(logits, None, None))];
    }

    [Fact]
    public void The_same_seed_gives_the_same_tokens_and_another_seed_others()
    {
        var logits = Logits(1);
        var options = new SamplingOptions { Temperature = 1.5f, TopP = 0.95f, Seed = 42 };

        var first = Draw(options, logits, 50);
        var second = Draw(options, logits, 50);
        var other = Draw(options with { Seed = 43 }, logits, 50);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.True(first.Distinct().Count() > 10, "sampling at temperature 1.5 should vary");
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0.5f)]
    public void Without_filters_tokens_are_drawn_in_proportion_to_their_tempered_probabilities(float temperature)
    {
        float[] logits = [0, MathF.Log(2), MathF.Log(5), -30];
        var weights = logits.Select(logit => Math.Exp(logit / temperature)).ToArray();
        const int draws = 20_000;

        var drawn = Draw(new SamplingOptions { Temperature = temperature, Seed = 5 }, logits, draws);

        for (var token = 0; token < logits.Length; token++)
        {
            var expected = weights[token] / weights.Sum();
            var observed = drawn.Count(t => t == token) / (double)draws;
            Assert.True(Math.Abs(observed - expected) < 0.015, $"token {token}: drawn {observed:P1}, probability {expected:P1}");
        }
    }

    [Fact]
    public void Temperature_zero_is_the_argmax()
    {
        var logits = Logits(2);
        var argmax = Array.IndexOf(logits, logits.Max());

        Assert.All(Draw(new SamplingOptions { Temperature = 0 }, logits, 5), token => Assert.Equal(argmax, token));
    }

    [Fact]
    public void Top_k_never_picks_outside_the_k_highest_logits()
    {
        var logits = Logits(3);
        var topK = logits.Select((logit, id) => (logit, id)).OrderByDescending(pair => pair.logit).Take(5).Select(pair => pair.id).ToHashSet();

        var drawn = Draw(new SamplingOptions { Temperature = 5, TopK = 5, Seed = 1 }, logits, 300);

        Assert.All(drawn, token => Assert.Contains(token, topK));
        Assert.Equal(5, drawn.Distinct().Count());
    }

    [Fact]
    public void Top_p_never_picks_outside_the_nucleus()
    {
        float[] logits = [MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.15f), MathF.Log(0.05f)];

        var drawn = Draw(new SamplingOptions { TopP = 0.75f, Seed = 7 }, logits, 400);

        Assert.Equal([0, 1], drawn.Distinct().Order());
    }

    [Fact]
    public void Top_p_over_a_large_vocabulary_keeps_only_the_heaviest_tokens()
    {
        var logits = Logits(4);
        var probabilities = Softmax(logits);
        var sorted = probabilities.Select((p, id) => (p, id)).OrderByDescending(pair => pair.p).ToList();
        var nucleus = new HashSet<int>();
        var mass = 0.0;
        foreach (var (p, id) in sorted)
        {
            nucleus.Add(id);
            mass += p;
            if (mass >= 0.1)
            {
                break;
            }
        }

        var drawn = Draw(new SamplingOptions { TopP = 0.1f, Seed = 3 }, logits, 300);

        Assert.All(drawn, token => Assert.Contains(token, nucleus));
        Assert.True(nucleus.Count > 10);
    }

    [Fact]
    public void Top_p_whose_cut_falls_among_equal_tokens_keeps_only_as_many_of_them_as_it_needs()
    {
        float[] logits = [2, 2, 2, 1, 1, 1, 0, 0];

        // Weights e² ×3 = 22.17, e ×3 = 8.15, 1 ×2: 80 % of 32.32 is 25.86, so two of the three e-weighted tokens.
        var drawn = Draw(new SamplingOptions { TopP = 0.8f, Seed = 11 }, logits, 2_000).Distinct().ToHashSet();

        Assert.Superset(new HashSet<int> { 0, 1, 2 }, drawn);
        Assert.Equal(2, drawn.Count(token => token is 3 or 4 or 5));
        Assert.DoesNotContain(6, drawn);
        Assert.DoesNotContain(7, drawn);
    }

    [Fact]
    public void Top_k_then_top_p_keep_the_nucleus_of_the_k_highest()
    {
        float[] logits = [MathF.Log(0.4f), MathF.Log(0.3f), MathF.Log(0.15f), MathF.Log(0.1f), MathF.Log(0.05f)];

        // Top-k 3 leaves 0.4, 0.3, 0.15 (mass 0.85); top-p 0.8 of that is 0.68, reached by the first two.
        var drawn = Draw(new SamplingOptions { TopK = 3, TopP = 0.8f, Seed = 13 }, logits, 1_000);

        Assert.Equal([0, 1], drawn.Distinct().Order());
    }

    [Fact]
    public void Min_p_never_picks_a_token_less_likely_than_its_share_of_the_best()
    {
        float[] logits = [MathF.Log(0.4f), MathF.Log(0.3f), MathF.Log(0.2f), MathF.Log(0.06f), MathF.Log(0.04f)];

        var drawn = Draw(new SamplingOptions { MinP = 0.2f, Seed = 9 }, logits, 400);

        // 0.2 × 0.4 = 0.08: tokens 3 (0.06) and 4 (0.04) are out.
        Assert.Equal([0, 1, 2], drawn.Distinct().Order());
    }

    [Fact]
    public void Repetition_penalty_moves_greedy_off_a_token_seen_in_the_prompt()
    {
        float[] logits = [1.0f, 2.0f, 1.5f];
        var sampler = new Sampler(new SamplingOptions { Temperature = 0, RepetitionPenalty = 2 });

        Assert.Equal(1, new Sampler(new SamplingOptions { Temperature = 0 }).Sample(logits, [1], None));
        Assert.Equal(2, sampler.Sample(logits, [1, 1, 1], None));
        Assert.Equal(0, sampler.Sample(logits, [1], [2]));
    }

    [Fact]
    public void Repetition_penalty_pushes_a_negative_logit_further_down()
    {
        float[] logits = [-1.0f, -1.5f];
        var sampler = new Sampler(new SamplingOptions { Temperature = 0, RepetitionPenalty = 2 });

        // Dividing -1 by 2 would raise it; Hugging Face multiplies negative logits, so -1 becomes -2 and loses.
        Assert.Equal(1, sampler.Sample(logits, [0], None));
    }

    [Fact]
    public void Presence_penalty_counts_a_generated_token_once_and_ignores_the_prompt()
    {
        float[] logits = [3.0f, 2.5f];
        var sampler = new Sampler(new SamplingOptions { Temperature = 0, PresencePenalty = 1 });

        Assert.Equal(0, sampler.Sample(logits, [0, 0, 0], None));
        Assert.Equal(1, sampler.Sample(logits, None, [0]));
        Assert.Equal(1, sampler.Sample(logits, None, [0, 0, 0, 0]));
    }

    [Fact]
    public void Frequency_penalty_grows_with_each_repetition()
    {
        float[] logits = [3.0f, 1.6f];
        var sampler = new Sampler(new SamplingOptions { Temperature = 0, FrequencyPenalty = 0.5f });

        Assert.Equal(0, sampler.Sample(logits, None, [0, 0]));
        Assert.Equal(1, sampler.Sample(logits, None, [0, 0, 0]));
        Assert.Equal(0, sampler.Sample(logits, [1, 1, 1, 1], [0, 0]));
    }

    [Theory]
    [InlineData(-1f, 1f, 0, 0f)]
    [InlineData(1f, 0f, 0, 0f)]
    [InlineData(1f, 1f, -1, 0f)]
    [InlineData(1f, 1f, 0, 1.5f)]
    public void Out_of_range_options_are_refused(float temperature, float topP, int topK, float minP)
    {
        Assert.Throws<ArgumentException>(() => new Sampler(new SamplingOptions { Temperature = temperature, TopP = topP, TopK = topK, MinP = minP }));
    }

    [Fact]
    public void A_token_outside_the_vocabulary_is_refused()
    {
        var sampler = new Sampler(new SamplingOptions { RepetitionPenalty = 1.2f });

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Sample(new float[4], [7], None));

        Assert.Contains("outside the vocabulary", error.Message);
    }

    private static double[] Softmax(float[] logits)
    {
        var max = logits.Max();
        var weights = logits.Select(logit => Math.Exp(logit - max)).ToArray();
        var total = weights.Sum();
        return [.. weights.Select(weight => weight / total)];
    }
}
