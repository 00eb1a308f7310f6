using System.Text.Json.Serialization;
using OrleansSlm.GrainsInterfaces.Users;

namespace OrleansSlm.Frontend.Users;

public sealed record UserResponse(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt)
{
    public static UserResponse From(UserProfile profile) => new(profile.Id, profile.Name, profile.Email, profile.CreatedAt);
}
