using OrleansSlm.Engine.Configuration;

namespace OrleansSlm.Tests.Engine;

public sealed class KvCacheTests
{
    private static readonly int[] Prompt = [1, 17, 300, 45, 9, 250, 77];

    [Theory]
    [InlineData(ModelPrecision.Fp32)]
    [InlineData(ModelPrecision.Int8)]
    [InlineData(ModelPrecision.Int4)]
    public void Kv_cached_greedy_decoding_gives_the_tokens_of_full_recomputation(ModelPrecision precision)
    {
        using var decoder = TinyModel.OpenDecoder(precision);

        var cached = Greedy.WithCache(decoder, Prompt, 24);
        var recomputed = Greedy.ByFullRecomputation(decoder, Prompt, 24);

        Assert.Equal(recomputed, cached);
        Assert.True(cached.Distinct().Count() > 3, $"greedy output should vary on the tiny model: {string.Join(",", cached)}");
    }
}
