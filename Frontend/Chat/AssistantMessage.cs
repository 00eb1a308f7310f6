using System.Text.Json.Serialization;

namespace OrleansSlm.Frontend.Chat;

public sealed record AssistantMessage([property: JsonPropertyName("content")] string Content)
{
    [JsonPropertyName("role")]
    public string Role => "assistant";
}
