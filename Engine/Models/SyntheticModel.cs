namespace OrleansSlm.Engine.Models;

/// <summary>A synthetic model: its id, its shapes, and the seed and spread of its random weights.</summary>
public sealed record SyntheticModel(string Id, ModelDescription Description, int Seed, float InitStd)
{
    public IWeightSource CreateWeights() => new RandomWeightSource(Seed, InitStd, normCentre: Description.IsGemma3 ? 0f : 1f);
}
