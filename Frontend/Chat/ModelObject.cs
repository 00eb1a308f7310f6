using System.Text.Json.Serialization;
using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Frontend.Chat;

/// <summary>A model in OpenAI's shape; <c>owned_by</c> says when the weights are synthetic noise.</summary>
public sealed record ModelObject(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy,
    [property: JsonPropertyName("max_model_len")] int MaxModelLength)
{
    [JsonPropertyName("object")]
    public string Object => "model";

    public static ModelObject From(ModelCard card) => new(
        card.Id, card.LoadedAt.ToUnixTimeSeconds(), card.IsSynthetic ? "orleans-slm (synthetic: random weights)" : "orleans-slm", card.ContextLength);
}
