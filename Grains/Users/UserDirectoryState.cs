namespace OrleansSlm.Grains.Users;

[GenerateSerializer]
public sealed class UserDirectoryState
{
    [Id(0)]
    public long LastId { get; set; }

    /// <summary>Lower-cased email → user id.</summary>
    [Id(1)]
    public Dictionary<string, long> IdsByEmail { get; set; } = [];

    [Id(2)]
    public SortedSet<long> Ids { get; set; } = [];
}
