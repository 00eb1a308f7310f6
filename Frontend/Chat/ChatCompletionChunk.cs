using System.Text.Json.Serialization;

namespace OrleansSlm.Frontend.Chat;

/// <summary>One Server-Sent Event of a streamed answer, <c>object: "chat.completion.chunk"</c>.</summary>
public sealed record ChatCompletionChunk(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("choices")] IReadOnlyList<ChunkChoice> Choices,
    [property: JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ChatUsage? Usage = null)
{
    [JsonPropertyName("object")]
    public string Object => "chat.completion.chunk";
}
