namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>How the next token is chosen (OpenAI's fields plus vLLM's <c>top_k</c>, <c>min_p</c>, <c>repetition_penalty</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record Sampling(
    [property: Id(0)] float Temperature = 1,
    [property: Id(1)] float TopP = 1,
    [property: Id(2)] int TopK = 0,
    [property: Id(3)] float MinP = 0,
    [property: Id(4)] float PresencePenalty = 0,
    [property: Id(5)] float FrequencyPenalty = 0,
    [property: Id(6)] float RepetitionPenalty = 1,
    [property: Id(7)] ulong? Seed = null);
