namespace OrleansSlm.GrainsInterfaces.Users;

[GenerateSerializer, Immutable]
public sealed record UserProfile(
    [property: Id(0)] long Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Email,
    [property: Id(3)] DateTimeOffset CreatedAt);
