namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>What an inference silo serves: the model, whether its weights are synthetic noise, its context, and its load.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelCard(
    [property: Id(0)] string Id,
    [property: Id(1)] bool IsSynthetic,
    [property: Id(2)] int ContextLength,
    [property: Id(3)] DateTimeOffset LoadedAt,
    [property: Id(4)] string Silo,
    [property: Id(5)] string Role,
    [property: Id(6)] InferenceLoad Load);
