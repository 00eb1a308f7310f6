using Orleans.Runtime;

namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>
/// Text made visible by one step (may be empty: a keep-alive, or text held back), the request's token counts as the
/// scheduler counted them, and on the last chunk only the finish reason in its OpenAI wire name: <c>stop</c> or
/// <c>length</c>, or <c>cancelled</c> for a caller that cancelled (and so no longer reads). <see cref="AcceptedOn"/>
/// is set on the stream's first chunk only, which carries no text: the silo that accepted the request and runs it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CompletionChunk(
    [property: Id(0)] string Text,
    [property: Id(1)] string? FinishReason,
    [property: Id(2)] int PromptTokens,
    [property: Id(3)] int CompletionTokens,
    [property: Id(4)] SiloAddress? AcceptedOn = null);
