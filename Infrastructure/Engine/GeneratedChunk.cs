using OrleansSlm.Infrastructure.Sampling;

namespace OrleansSlm.Infrastructure.Engine;

/// <summary>
/// One step of output: the token produced (null on the closing chunk), the text it makes visible (may be empty while
/// a UTF-8 sequence or a possible stop string is pending), and, on the last chunk only, why generation ended.
/// </summary>
public sealed record GeneratedChunk(int? TokenId, string Text, FinishReason? FinishReason);
