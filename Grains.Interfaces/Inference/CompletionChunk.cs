namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>
/// Text made visible by one step (may be empty: a keep-alive, or text held back), the request's token counts as the
/// scheduler counted them, and on the last chunk only the finish reason in its OpenAI wire name: <c>stop</c> or
/// <c>length</c>, or <c>cancelled</c> for a caller that cancelled (and so no longer reads).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CompletionChunk(
    [property: Id(0)] string Text,
    [property: Id(1)] string? FinishReason,
    [property: Id(2)] int PromptTokens,
    [property: Id(3)] int CompletionTokens);
