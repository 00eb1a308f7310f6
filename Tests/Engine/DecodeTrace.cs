using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Sampling;

namespace OrleansSlm.Tests.Engine;

/// <summary>Greedy decoding that keeps every step's logits, to compare two decoders step by step.</summary>
public sealed record DecodeTrace(IReadOnlyList<int> Tokens, IReadOnlyList<float[]> Logits)
{
    /// <summary>The prompt's last logits, then those of each of <paramref name="count"/> greedy tokens fed back.</summary>
    public static DecodeTrace Greedy(IDecoder decoder, int[] prompt, int count)
    {
        using var sequence = decoder.StartSequence();
        var logits = new List<float[]> { sequence.Append(prompt) };
        var tokens = new List<int>();
        for (var i = 0; i < count; i++)
        {
            tokens.Add(Sampler.ArgMax(logits[^1]));
            logits.Add(sequence.Append([tokens[^1]]));
        }

        return new DecodeTrace(tokens, logits);
    }

    /// <summary>The largest relative error of any step's logits against <paramref name="expected"/>'s.</summary>
    public double WorstRelativeError(DecodeTrace expected)
    {
        Assert.Equal(expected.Logits.Count, Logits.Count);
        return expected.Logits.Zip(Logits, ReferenceForwardTests.RelativeError).Max();
    }
}
