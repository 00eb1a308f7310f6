using System.Text.Json.Serialization;

namespace OrleansSlm.Frontend.Chat;

/// <summary>The non-streaming answer, <c>object: "chat.completion"</c>.</summary>
public sealed record ChatCompletionResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("choices")] IReadOnlyList<ChatChoice> Choices,
    [property: JsonPropertyName("usage")] ChatUsage Usage)
{
    [JsonPropertyName("object")]
    public string Object => "chat.completion";
}
