namespace OrleansSlm.Engine.Text;

/// <summary>Chat templates per model family, chosen by <c>config.json</c>'s <c>model_type</c>.</summary>
public static class ChatTemplates
{
    public static IChatTemplate ForModelType(string modelType) => modelType switch
    {
        "llama" => new ChatMlTemplate(),
        "gemma3" or "gemma3_text" => new GemmaChatTemplate(),
        _ => throw new NotSupportedException(
            $"No chat template for model_type '{modelType}'. Supported: 'llama' (ChatML, SmolLM2) and 'gemma3' / 'gemma3_text' (Gemma 3)."),
    };

    internal static void EnsureNotEmpty(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            throw new ArgumentException("A conversation needs at least one message.", nameof(messages));
        }
    }
}
