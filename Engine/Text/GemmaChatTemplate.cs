using System.Text;

namespace OrleansSlm.Engine.Text;

/// <summary>
/// Gemma 3's template: <c>&lt;bos&gt;</c>, then alternating <c>user</c>/<c>model</c> turns; a leading system message
/// is folded into the first user turn, since Gemma has no system role.
/// </summary>
public sealed class GemmaChatTemplate : IChatTemplate
{
    public string Render(IReadOnlyList<ChatMessage> messages)
    {
        ChatTemplates.EnsureNotEmpty(messages);
        // As Gemma 3's own template: the system text is kept as written (only turn contents are trimmed).
        var hasSystem = messages[0].Role == "system";
        var systemPrefix = hasSystem ? messages[0].Content + "\n\n" : string.Empty;
        var turns = messages.Skip(hasSystem ? 1 : 0).ToList();
        var prompt = new StringBuilder("<bos>");
        for (var i = 0; i < turns.Count; i++)
        {
            var expectUser = i % 2 == 0;
            var role = turns[i].Role switch
            {
                "user" when expectUser => "user",
                "assistant" when !expectUser => "model",
                _ => throw new ArgumentException(
                    $"Gemma conversations alternate user and assistant messages, with an optional system message first; message {i + 1} after the system text has role '{turns[i].Role}' where '{(expectUser ? "user" : "assistant")}' was expected.",
                    nameof(messages)),
            };
            prompt.Append("<start_of_turn>").Append(role).Append('\n');
            if (i == 0)
            {
                prompt.Append(systemPrefix);
            }

            prompt.Append(turns[i].Content.Trim()).Append("<end_of_turn>\n");
        }

        return prompt.Append("<start_of_turn>model\n").ToString();
    }
}
