using OrleansSlm.Engine.Sampling;

namespace OrleansSlm.Engine.Decoding;

/// <summary>One request to the generator: prompt tokens, sampling, a token limit, stop strings.</summary>
public sealed record GenerationRequest(
    IReadOnlyList<int> PromptTokens,
    SamplingOptions Sampling,
    int MaxTokens,
    IReadOnlyList<string>? StopSequences = null,
    bool IgnoreEos = false);
