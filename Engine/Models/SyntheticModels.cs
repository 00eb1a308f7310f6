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
    public const string Gemma3Id = "synthetic-gemma3-270m";

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

    /// <summary>
    /// Exactly gemma-3-270m's shapes (google/gemma-3-270m-it's config.json): every sixth layer attends fully, the others
    /// over a 512-token window; bfloat16 as published, so the embedding scale is rounded as the real model's is.
    /// </summary>
    public static readonly SyntheticModel Gemma3 = new(Gemma3Id, new ModelDescription
    {
        ModelType = ModelDescription.Gemma3TextModelType,
        HiddenSize = 640,
        Layers = 18,
        Heads = 4,
        KvHeads = 1,
        HeadDim = 256,
        IntermediateSize = 2048,
        VocabSize = 262_144,
        RopeTheta = 1_000_000f,
        RopeLocalTheta = 10_000f,
        RmsNormEps = 1e-6f,
        TieWordEmbeddings = true,
        MaxPositionEmbeddings = 32_768,
        BosTokenId = 2,
        EosTokenIds = [1, 106],
        SlidingLayers = [.. Enumerable.Range(0, 18).Select(layer => (layer + 1) % 6 != 0)],
        SlidingWindow = 512,
        QueryPreAttentionScalar = 256,
        HiddenActivation = "gelu_pytorch_tanh",
        WeightDtype = "bfloat16",
    }, Seed: 270, InitStd: 0.02f);

    public static bool IsSynthetic(string modelId) => modelId.StartsWith(Prefix, StringComparison.Ordinal);

    public static SyntheticModel Get(string modelId) => modelId switch
    {
        TinyId => Tiny,
        SmolLm2Id => SmolLm2,
        Gemma3Id => Gemma3,
        _ => throw new ArgumentException(
            $"Unknown synthetic model '{modelId}'. Known synthetic models: {TinyId}, {SmolLm2Id}, {Gemma3Id}.", nameof(modelId)),
    };
}
