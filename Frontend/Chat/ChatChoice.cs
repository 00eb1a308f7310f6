using System.Text.Json.Serialization;

namespace OrleansSlm.Frontend.Chat;

public sealed record ChatChoice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("message")] AssistantMessage Message,
    [property: JsonPropertyName("finish_reason")] string FinishReason)
{
    [JsonPropertyName("logprobs")]
    public object? Logprobs => null;
}
