namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>
/// How the next token is chosen (OpenAI's fields plus vLLM's <c>top_k</c>, <c>min_p</c>, <c>repetition_penalty</c>),
/// as the caller sent them: a null field takes the engine's default, so defaults live in one place (the engine's
/// sampling options) and never travel as copies. <see cref="TopK"/> 0 is off.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Sampling(
    [property: Id(0)] float? Temperature = null,
    [property: Id(1)] float? TopP = null,
    [property: Id(2)] int? TopK = null,
    [property: Id(3)] float? MinP = null,
    [property: Id(4)] float? PresencePenalty = null,
    [property: Id(5)] float? FrequencyPenalty = null,
    [property: Id(6)] float? RepetitionPenalty = null,
    [property: Id(7)] ulong? Seed = null);
