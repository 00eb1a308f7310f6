using System.Text.Json.Serialization;

namespace OrleansSlm.Frontend.Chat;

public sealed record QuestionAnswer(
    [property: JsonPropertyName("question")] string Question,
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("model")] string Model);
