using OrleansSlm.Infrastructure.Configuration;
using OrleansSlm.Infrastructure.Models;

namespace OrleansSlm.Bench;

/// <summary>Options shared by the benchmark modes, as <c>--name value</c> pairs.</summary>
internal sealed record BenchArguments(string Model, IReadOnlyList<ModelPrecision> Precisions, int Threads, int DecodeTokens, int Repeats)
{
    public static BenchArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new BenchArguments(
            values.GetValueOrDefault("model", SyntheticModels.SmolLm2Id),
            values.GetValueOrDefault("precisions", "fp32,int8,int4").Split(',').Select(p => Enum.Parse<ModelPrecision>(p, ignoreCase: true)).ToArray(),
            int.Parse(values.GetValueOrDefault("threads", "2")),
            int.Parse(values.GetValueOrDefault("decode-tokens", "128")),
            int.Parse(values.GetValueOrDefault("repeats", "3")));
    }
}
