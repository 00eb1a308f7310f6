namespace OrleansSlm.GrainsInterfaces.Users;

/// <summary>
/// The persisted index of all users (key 0): allocates ids, keeps emails unique (case-insensitively)
/// and lists users in a stable order. Every user write passes through it, one at a time. A write that throws did not
/// take effect, unless the failure hid where it ended (a lost acknowledgement, a silo that died); either way the index
/// settles on the old or the new state, as the user grain holds it, before it answers anything else.
/// </summary>
public interface IUserDirectoryGrain : IGrainWithIntegerKey
{
    Task<UserWriteResult> CreateAsync(string name, string email);

    /// <summary>Changes the fields that are not null.</summary>
    Task<UserWriteResult> UpdateAsync(long id, string? name, string? email);

    Task<UserWriteResult> DeleteAsync(long id);

    /// <summary>Ids in ascending order, skipping <paramref name="offset"/> and taking at most <paramref name="limit"/>.</summary>
    Task<UserIdPage> ListAsync(int offset, int limit);
}
