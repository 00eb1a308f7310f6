namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>A chat request as the engine needs it; the frontend has already checked every field.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatRequest(
    [property: Id(0)] string Model,
    [property: Id(1)] IReadOnlyList<ChatTurn> Messages,
    [property: Id(2)] int? MaxTokens,
    [property: Id(3)] Sampling Sampling,
    [property: Id(4)] IReadOnlyList<string> Stop,
    [property: Id(5)] bool IgnoreEos);
