namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>
/// A chat request as the engine needs it; the frontend has already checked every field. <c>MaxTokens</c> is the
/// caller's limit on the completion (a prompt that leaves less room is refused); <c>DefaultMaxTokens</c> is the limit
/// when the caller set none (the frontend's <c>Chat:DefaultMaxTokens</c>), cut to the room the prompt leaves instead
/// of refused, so a request without <c>max_tokens</c> does not get the whole context.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChatRequest(
    [property: Id(0)] string Model,
    [property: Id(1)] IReadOnlyList<ChatTurn> Messages,
    [property: Id(2)] int? MaxTokens,
    [property: Id(3)] Sampling Sampling,
    [property: Id(4)] IReadOnlyList<string> Stop,
    [property: Id(5)] bool IgnoreEos,
    [property: Id(6)] int DefaultMaxTokens);
