using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Frontend.Chat;

/// <summary>A chat request that passed validation, with how the caller wants the answer delivered.</summary>
public sealed record ValidatedChat(ChatRequest Request, bool Stream, bool IncludeUsage);
