using OrleansSlm.Engine.Sampling;

namespace OrleansSlm.Engine.Decoding;

/// <summary>
/// One step of output: the token produced (null on the closing chunk), the text it makes visible (may be empty while
/// a UTF-8 sequence or a possible stop string is pending), the request's token counts so far (prompt, and generated
/// tokens that are part of the answer: an end-of-sequence token is not), and, on the last chunk only, why generation
/// ended.
/// </summary>
public sealed record GeneratedChunk(int? TokenId, string Text, FinishReason? FinishReason, int PromptTokens, int CompletionTokens);
