namespace OrleansSlm.GrainsInterfaces.Inference;

[GenerateSerializer, Immutable]
public sealed record ChatCompletion(
    [property: Id(0)] string Model,
    [property: Id(1)] string Text,
    [property: Id(2)] string FinishReason,
    [property: Id(3)] int PromptTokens,
    [property: Id(4)] int CompletionTokens);
