using System.Text.Json.Serialization;

namespace OrleansSlm.Frontend.Users;

public sealed record UserListResponse(
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("data")] IReadOnlyList<UserResponse> Data,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("next_offset")] int? NextOffset);
