using CsCheck;
using OrleansSlm.Engine.Sampling;

namespace OrleansSlm.Tests.Sampling;

/// <summary>
/// Random logits (finite, ±infinity, NaN, ties) against random in-range settings, subnormal temperatures and the ends
/// of every range included: whatever the sampler is given, it returns a valid token id and never throws.
/// </summary>
public sealed class SamplerPropertyTests
{
    private const int Iterations = 5_000;

    private static readonly Gen<float> Logit = Gen.Frequency(
        (12, Gen.Float[-40f, 40f]),
        (2, Gen.Const(3.5f)),
        (1, Gen.Const(float.PositiveInfinity)),
        (2, Gen.Const(float.NegativeInfinity)),
        (1, Gen.Const(float.NaN)),
        (1, Gen.Const(float.MaxValue)),
        (1, Gen.Const(-float.MaxValue)));

    private static readonly Gen<float> Temperature = Gen.Frequency(
        (2, Gen.Const(0f)),
        (2, Gen.Int[1, 1000].Select(multiple => float.Epsilon * multiple)),
        (2, Gen.Float[1e-7f, 1e-4f]),
        (1, Gen.Const(1e-5f)),
        (4, Gen.Float[1e-3f, 2f]));

    private static readonly Gen<SamplingOptions> Options =
        Gen.Select(Temperature, Gen.Frequency((2, Gen.Const(1f)), (1, Gen.Float[float.Epsilon, 1f])), Gen.Int[0, 40],
            Gen.Frequency((2, Gen.Const(0f)), (1, Gen.Const(1f)), (2, Gen.Float[0f, 1f])),
            Gen.Float[-2f, 2f], Gen.Float[-2f, 2f], Gen.Frequency((2, Gen.Const(1f)), (1, Gen.Float[1e-3f, 10f])), Gen.ULong)
        .Select(settings => new SamplingOptions
        {
            Temperature = settings.Item1,
            TopP = settings.Item2,
            TopK = settings.Item3,
            MinP = settings.Item4,
            PresencePenalty = settings.Item5,
            FrequencyPenalty = settings.Item6,
            RepetitionPenalty = settings.Item7,
            Seed = settings.Item8,
        });

    [Fact]
    public void Every_sample_is_a_token_of_the_vocabulary_whatever_the_logits_and_settings()
    {
        Gen.Select(Options, Logit.Array[1, 64], Gen.Int[0, 63].Array[0, 8], Gen.Int[0, 63].Array[0, 8])
            .Sample(run =>
            {
                var (options, logits, prompt, generated) = run;
                var vocabulary = logits.Length;
                var sampler = new Sampler(options);
                var token = sampler.Sample(logits, [.. prompt.Select(id => id % vocabulary)], [.. generated.Select(id => id % vocabulary)]);
                Assert.InRange(token, 0, vocabulary - 1);
                // +∞ wins and NaN never does. (A penalty can turn float.MaxValue into +∞ too, so the first check is without.)
                var penalised = options.RepetitionPenalty != 1 || options.PresencePenalty != 0 || options.FrequencyPenalty != 0;
                if (!penalised && logits.Any(float.IsPositiveInfinity))
                {
                    Assert.True(float.IsPositiveInfinity(logits[token]), $"token {token} ({logits[token]}) chosen over +∞");
                }

                if (logits.Any(logit => logit > float.NegativeInfinity))
                {
                    Assert.False(float.IsNaN(logits[token]), $"token {token} has an undefined logit");
                }
            }, iter: Iterations);
    }

    [Fact]
    public void Temperatures_below_the_greedy_threshold_choose_the_best_token()
    {
        // Subnormal temperatures (the ones that overflowed) as often as the rest of the range below the threshold.
        var belowThreshold = Gen.Frequency((1, Gen.Int[1, 1_000_000].Select(multiple => float.Epsilon * multiple)), (1, Gen.Float[0f, 9.9e-6f]));
        Gen.Select(Gen.Float[-10f, 10f].Array[2, 64], belowThreshold, Gen.Float[0f, 1f])
            .Sample(run =>
            {
                var (logits, temperature, minP) = run;
                var sampler = new Sampler(new SamplingOptions { Temperature = temperature, MinP = minP, Seed = 7 });
                Assert.Equal(Sampler.ArgMax(logits), sampler.Sample(logits, [], []));
            }, iter: Iterations);
    }
}
