using System.Text.Json;

namespace OrleansSlm.Bench;

/// <summary>
/// What the benchmark reads from one <c>data:</c> event of an OpenAI chat completion stream: whether it carries
/// text, the <c>usage</c> of the closing chunk, or an error object.
/// </summary>
internal sealed record StreamChunk(bool HasText, int? PromptTokens, int? CompletionTokens, string? Error)
{
    public static StreamChunk Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            return new StreamChunk(false, null, null, error.ToString());
        }

        var hasText = root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array &&
                      choices.EnumerateArray().Any(choice =>
                          choice.TryGetProperty("delta", out var delta) &&
                          delta.TryGetProperty("content", out var content) &&
                          content.ValueKind == JsonValueKind.String &&
                          content.GetString()!.Length > 0);
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            return new StreamChunk(hasText, Count(usage, "prompt_tokens"), Count(usage, "completion_tokens"), null);
        }

        return new StreamChunk(hasText, null, null, null);
    }

    private static int? Count(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.TryGetInt32(out var count) ? count : null;
}
