namespace OrleansSlm.Engine.Text;

public interface IChatTemplate
{
    /// <summary>
    /// The prompt text for the conversation, ending with the prompt that opens the assistant's turn. A conversation
    /// the template cannot render (an empty one; for Gemma, turns that do not alternate) throws
    /// <see cref="ArgumentException"/> with a message for the caller.
    /// </summary>
    string Render(IReadOnlyList<ChatMessage> messages);
}
