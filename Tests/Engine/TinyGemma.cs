using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Models;

namespace OrleansSlm.Tests.Engine;

/// <summary>
/// A tiny Gemma 3 text decoder: gemma-3-270m's proportions where they matter (one KV head for four query heads, a head
/// wider than hidden / heads, a query_pre_attn_scalar that is not the head size, every third layer attending fully)
/// with a window of 4 positions, shorter than the test prompts. Its graphs are built once per test run.
/// </summary>
public static class TinyGemma
{
    public static readonly ModelDescription Description = new()
    {
        ModelType = ModelDescription.Gemma3TextModelType,
        HiddenSize = 64,
        Layers = 3,
        Heads = 4,
        KvHeads = 1,
        HeadDim = 64,
        IntermediateSize = 96,
        VocabSize = 128,
        RopeTheta = 1e6f,
        RopeLocalTheta = 1e4f,
        RmsNormEps = 1e-6f,
        TieWordEmbeddings = true,
        MaxPositionEmbeddings = 64,
        SlidingLayers = [true, true, false],
        SlidingWindow = 4,
        QueryPreAttentionScalar = 48,
        HiddenActivation = "gelu_pytorch_tanh",
        BosTokenId = 2,
        EosTokenIds = [1, 106],
    };

    private static readonly Dictionary<(ModelDescription, ModelPrecision, AttentionKernel), byte[]> Graphs = [];
    private static readonly Lock GraphLock = new();

    public static IWeightSource Weights => new RandomWeightSource(seed: 270, std: 0.2f, normCentre: 0f);

    public static ReferenceGemma Reference(ModelDescription? description = null) => new(description ?? Description, Weights);

    public static KvSlotDecoder OpenDecoder(AttentionKernel attention, ModelPrecision precision = ModelPrecision.Fp32, int slots = 3, int capacity = 48, ModelDescription? description = null)
    {
        description ??= Description;
        byte[] graph;
        lock (GraphLock)
        {
            if (!Graphs.TryGetValue((description, precision, attention), out graph!))
            {
                graph = KvSlotGraphBuilder.Build(description, Weights, precision, attention).ToBytes();
                Graphs[(description, precision, attention)] = graph;
            }
        }

        return new KvSlotDecoder(SessionFactory.Create(graph, TinyModel.Options), description, slots, capacity);
    }
}
