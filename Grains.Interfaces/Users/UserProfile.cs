namespace OrleansSlm.GrainsInterfaces.Users;

[GenerateSerializer, Immutable]
public sealed record UserProfile(
    [property: Id(0)] long Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Email,
    [property: Id(3)] DateTimeOffset CreatedAt)
{
    /// <summary>
    /// How many writes made this profile: 1 when created, one more per update (0 for a profile stored before versions
    /// existed). A cache keeps the highest version it has been told of, so a copy read before a write cannot replace
    /// one read after it.
    /// </summary>
    [Id(4)]
    public long Version { get; init; }
}
