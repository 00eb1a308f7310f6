using System.Text.Json.Serialization;

namespace OrleansSlm.Frontend.Chat;

/// <summary>What a chunk adds: the role on the first chunk, then content; the closing chunk's delta is empty.</summary>
public sealed record ChunkDelta(
    [property: JsonPropertyName("role"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role = null,
    [property: JsonPropertyName("content"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content = null);
