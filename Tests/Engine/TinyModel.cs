using OrleansSlm.Infrastructure.Configuration;
using OrleansSlm.Infrastructure.Engine;
using OrleansSlm.Infrastructure.Models;

namespace OrleansSlm.Tests.Engine;

/// <summary>The synthetic tiny model's graphs, built once per test run and kept in memory.</summary>
public static class TinyModel
{
    private static readonly Dictionary<ModelPrecision, byte[]> Graphs = [];
    private static readonly Lock GraphLock = new();

    public static SyntheticModel Synthetic => SyntheticModels.Tiny;

    public static ModelDescription Description => Synthetic.Description;

    public static byte[] Graph(ModelPrecision precision)
    {
        lock (GraphLock)
        {
            if (!Graphs.TryGetValue(precision, out var graph))
            {
                graph = SharedKvGraphBuilder.Build(Description, Synthetic.CreateWeights(), precision).ToBytes();
                Graphs[precision] = graph;
            }

            return graph;
        }
    }

    public static SharedKvDecoder OpenDecoder(ModelPrecision precision, int slots = 2, int capacity = 128) =>
        new(SessionFactory.Create(Graph(precision), Options), Description, slots, capacity);

    public static ModelOptions Options => new() { Threads = 1 };
}
