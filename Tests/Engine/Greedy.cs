using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Sampling;

namespace OrleansSlm.Tests.Engine;

/// <summary>Greedy decoding written out in the tests, with and without the KV cache.</summary>
public static class Greedy
{
    public static List<int> WithCache(IDecoder decoder, int[] prompt, int count)
    {
        using var sequence = decoder.StartSequence();
        var generated = new List<int>();
        var next = Sampler.ArgMax(sequence.Append(prompt));
        for (var i = 0; i < count; i++)
        {
            generated.Add(next);
            next = Sampler.ArgMax(sequence.Append([next]));
        }

        return generated;
    }

    public static List<int> ByFullRecomputation(IDecoder decoder, int[] prompt, int count)
    {
        var tokens = prompt.ToList();
        var generated = new List<int>();
        for (var i = 0; i < count; i++)
        {
            using var sequence = decoder.StartSequence();
            var next = Sampler.ArgMax(sequence.Append(tokens.ToArray()));
            generated.Add(next);
            tokens.Add(next);
        }

        return generated;
    }
}
