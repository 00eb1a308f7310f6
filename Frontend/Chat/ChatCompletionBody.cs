using System.Text.Json;

namespace OrleansSlm.Frontend.Chat;

/// <summary>
/// <c>POST /v1/chat/completions</c> as sent (snake_case). Fields that take several shapes stay JSON elements and are
/// checked by <see cref="ChatRequestValidator"/>; fields this service does not know are ignored, as OpenAI does.
/// </summary>
public sealed class ChatCompletionBody
{
    public string? Model { get; set; }

    public List<ChatMessageBody?>? Messages { get; set; }

    public int? MaxTokens { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public float? Temperature { get; set; }

    public float? TopP { get; set; }

    public int? TopK { get; set; }

    public float? MinP { get; set; }

    public float? PresencePenalty { get; set; }

    public float? FrequencyPenalty { get; set; }

    public float? RepetitionPenalty { get; set; }

    public long? Seed { get; set; }

    public JsonElement? Stop { get; set; }

    public int? N { get; set; }

    public bool? Stream { get; set; }

    public StreamOptionsBody? StreamOptions { get; set; }

    public string? User { get; set; }

    /// <summary>vLLM's extension: keep generating past end-of-sequence until <c>max_tokens</c> (load tools use it).</summary>
    public bool? IgnoreEos { get; set; }
}
