namespace OrleansSlm.Grains.Users;

[GenerateSerializer]
public sealed class UserDirectoryState
{
    [Id(0)]
    public long LastId { get; set; }

    /// <summary>Lower-cased email → user id, for the users whose writes are settled.</summary>
    [Id(1)]
    public Dictionary<string, long> IdsByEmail { get; set; } = [];

    [Id(2)]
    public SortedSet<long> Ids { get; set; } = [];

    /// <summary>
    /// User id → the write of that user in progress. Stored before the user grain is written and removed once the
    /// outcome is known, so that a directory that stopped in between knows which users to ask.
    /// </summary>
    [Id(3)]
    public Dictionary<long, PendingUserWrite> Pending { get; set; } = [];

    /// <summary>A copy to change, so that the state in use stays as it was until the copy is stored.</summary>
    public UserDirectoryState Copy() => new()
    {
        LastId = LastId,
        IdsByEmail = new(IdsByEmail),
        Ids = new(Ids),
        Pending = new(Pending),
    };
}
