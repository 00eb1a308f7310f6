namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>
/// Text made visible by one step (may be empty), the running token counts, and on the last chunk only the finish
/// reason (<c>stop</c>, <c>length</c> or <c>cancelled</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CompletionChunk(
    [property: Id(0)] string Text,
    [property: Id(1)] string? FinishReason,
    [property: Id(2)] int PromptTokens,
    [property: Id(3)] int CompletionTokens);
