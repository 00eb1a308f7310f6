namespace OrleansSlm.Engine.Models;

/// <summary>
/// Seeded random weights: each tensor draws from a generator seeded by the model seed and the tensor's name, so a
/// tensor's values do not depend on the order in which tensors are read. Linear and embedding weights are uniform
/// with standard deviation <paramref name="std"/>; norm weights are <paramref name="normCentre"/> plus a small spread so
/// that they matter (1 where the weight is the scale, as in Llama; 0 where the scale is 1 + the weight, as in Gemma).
/// </summary>
public sealed class RandomWeightSource(int seed, float std, float normCentre = 1f) : IWeightSource
{
    public bool Contains(string name) => name != "lm_head.weight";

    public float[] Read(string name, params int[] shape)
    {
        var count = shape.Aggregate(1, (product, dim) => checked(product * dim));
        var random = new Random(seed ^ StableHash(name));
        var values = new float[count];
        var isNorm = name.EndsWith("norm.weight", StringComparison.Ordinal);
        var halfWidth = (isNorm ? 0.1f : std) * MathF.Sqrt(3f);
        for (var i = 0; i < count; i++)
        {
            var value = (float)(random.NextDouble() * 2 - 1) * halfWidth;
            values[i] = isNorm ? normCentre + value : value;
        }

        return values;
    }

    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var character in text)
        {
            hash = (hash ^ character) * 16777619u;
        }

        return (int)hash;
    }
}
