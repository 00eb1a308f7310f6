using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Models;

namespace OrleansSlm.Tests.Engine;

/// <summary>The synthetic tiny model's graphs, built once per test run and kept in memory.</summary>
public static class TinyModel
{
    private static readonly Dictionary<(ModelPrecision, AttentionKernel), byte[]> Graphs = [];
    private static readonly Lock GraphLock = new();

    public static SyntheticModel Synthetic => SyntheticModels.Tiny;

    public static ModelDescription Description => Synthetic.Description;

    /// <summary>The attention kernel a CPU silo builds its graphs with, so the tests run what the service runs.</summary>
    public static AttentionKernel Attention => Options.ResolveAttention();

    public static byte[] Graph(ModelPrecision precision) => Graph(precision, Attention);

    public static byte[] Graph(ModelPrecision precision, AttentionKernel attention)
    {
        lock (GraphLock)
        {
            if (!Graphs.TryGetValue((precision, attention), out var graph))
            {
                graph = KvSlotGraphBuilder.Build(Description, Synthetic.CreateWeights(), precision, attention).ToBytes();
                Graphs[(precision, attention)] = graph;
            }

            return graph;
        }
    }

    public static KvSlotDecoder OpenDecoder(ModelPrecision precision, int slots = 2, int capacity = 128) =>
        OpenDecoder(precision, Attention, slots, capacity);

    public static KvSlotDecoder OpenDecoder(ModelPrecision precision, AttentionKernel attention, int slots = 2, int capacity = 128) =>
        new(SessionFactory.Create(Graph(precision, attention), Options), Description, slots, capacity);

    public static ModelOptions Options => new() { Threads = 1 };
}
