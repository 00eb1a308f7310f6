using System.Text.Json.Serialization;

namespace OrleansSlm.Frontend.Chat;

public sealed record ModelList([property: JsonPropertyName("data")] IReadOnlyList<ModelObject> Data)
{
    [JsonPropertyName("object")]
    public string Object => "list";
}
