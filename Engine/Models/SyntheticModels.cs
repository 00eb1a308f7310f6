namespace OrleansSlm.Engine.Models;

/// <summary>
/// Models the project builds itself with seeded random weights: real shapes, noise for output. They let the whole
/// engine run (and be measured) where no weights can be downloaded.
/// </summary>
public static class SyntheticModels
{
    public const string Prefix = "synthetic-";
    public const string TinyId = "synthetic-tiny";
    public const string SmolLm2Id = "synthetic-smollm2-135m";

    /// <summary>Small enough that a graph builds and runs in milliseconds; init std 0.15 so greedy output varies.</summary>
    public static readonly SyntheticModel Tiny = new(TinyId, new ModelDescription
    {
        ModelType = "llama",
        HiddenSize = 64,
        Layers = 2,
        Heads = 4,
        KvHeads = 2,
        HeadDim = 16,
        IntermediateSize = 128,
        VocabSize = 512,
        RopeTheta = 10000f,
        RmsNormEps = 1e-5f,
        TieWordEmbeddings = true,
        MaxPositionEmbeddings = 512,
        BosTokenId = 1,
        EosTokenIds = [2],
    }, Seed: 1234, InitStd: 0.15f);

    /// <summary>Exactly SmolLM2-135M's shapes, so that it costs what the real model costs.</summary>
    public static readonly SyntheticModel SmolLm2 = new(SmolLm2Id, new ModelDescription
    {
        ModelType = "llama",
        HiddenSize = 576,
        Layers = 30,
        Heads = 9,
        KvHeads = 3,
        HeadDim = 64,
        IntermediateSize = 1536,
        VocabSize = 49152,
        RopeTheta = 100000f,
        RmsNormEps = 1e-5f,
        TieWordEmbeddings = true,
        MaxPositionEmbeddings = 8192,
        BosTokenId = 1,
        EosTokenIds = [2],
    }, Seed: 135, InitStd: 0.02f);

    public static bool IsSynthetic(string modelId) => modelId.StartsWith(Prefix, StringComparison.Ordinal);

    public static SyntheticModel Get(string modelId) => modelId switch
    {
        TinyId => Tiny,
        SmolLm2Id => SmolLm2,
        _ => throw new ArgumentException(
            $"Unknown synthetic model '{modelId}'. Known synthetic models: {TinyId}, {SmolLm2Id}.", nameof(modelId)),
    };
}
