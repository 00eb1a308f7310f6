namespace OrleansSlm.Frontend.Chat;

/// <summary>A whole answer read from an inference stream: its text, finish reason (wire name) and token counts.</summary>
public sealed record Completion(string Text, string FinishReason, int PromptTokens, int CompletionTokens);
