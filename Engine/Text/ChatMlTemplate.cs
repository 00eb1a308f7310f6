using System.Text;

namespace OrleansSlm.Engine.Text;

/// <summary>SmolLM2's ChatML template, as in its <c>tokenizer_config.json</c>: a default system turn when the conversation has none.</summary>
public sealed class ChatMlTemplate : IChatTemplate
{
    public const string DefaultSystemPrompt = "You are a helpful AI assistant named SmolLM, trained by Hugging Face";

    public string Render(IReadOnlyList<ChatMessage> messages)
    {
        ChatTemplates.EnsureNotEmpty(messages);
        var prompt = new StringBuilder();
        if (messages[0].Role != "system")
        {
            AppendTurn(prompt, "system", DefaultSystemPrompt);
        }

        foreach (var message in messages)
        {
            AppendTurn(prompt, message.Role, message.Content);
        }

        return prompt.Append("<|im_start|>assistant\n").ToString();
    }

    private static void AppendTurn(StringBuilder prompt, string role, string content) =>
        prompt.Append("<|im_start|>").Append(role).Append('\n').Append(content).Append("<|im_end|>\n");
}
