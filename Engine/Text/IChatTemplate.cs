namespace OrleansSlm.Engine.Text;

public interface IChatTemplate
{
    /// <summary>The prompt text for the conversation, ending with the prompt that opens the assistant's turn.</summary>
    string Render(IReadOnlyList<ChatMessage> messages);
}
