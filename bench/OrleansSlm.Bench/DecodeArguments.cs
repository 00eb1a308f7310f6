using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Models;

namespace OrleansSlm.Bench;

/// <summary>Options of the <c>decode</c> micro benchmark.</summary>
internal sealed record DecodeArguments(string Model, IReadOnlyList<ModelPrecision> Precisions, IReadOnlyList<int> Batches, int Threads, int DecodeTokens, int Repeats, AttentionKernel Attention)
{
    public static DecodeArguments Parse(string[] args)
    {
        var options = OptionSet.Parse(args);
        var parsed = new DecodeArguments(
            options.Text("model", SyntheticModels.SmolLm2Id),
            options.Text("precisions", "fp32,int8,int4").Split(',').Select(p => Enum.Parse<ModelPrecision>(p, ignoreCase: true)).ToArray(),
            options.Text("batches", "1").Split(',').Select(int.Parse).ToArray(),
            options.Int("threads", 2),
            options.Int("decode-tokens", 128),
            options.Int("repeats", 3),
            options.Enum("attention", AttentionKernel.Auto));
        options.EnsureAllRead();
        if (parsed.Batches.Any(batch => batch < 1))
        {
            throw new ArgumentException("--batches takes sizes of at least 1, e.g. 1,16.");
        }

        return parsed;
    }
}
