using System.Text.Json.Serialization;

namespace OrleansSlm.Frontend.Chat;

public sealed record ChunkChoice(
    [property: JsonPropertyName("delta")] ChunkDelta Delta,
    [property: JsonPropertyName("finish_reason")] string? FinishReason)
{
    [JsonPropertyName("index")]
    public int Index => 0;

    [JsonPropertyName("logprobs")]
    public object? Logprobs => null;
}
