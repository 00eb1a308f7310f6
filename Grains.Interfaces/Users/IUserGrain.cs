namespace OrleansSlm.GrainsInterfaces.Users;

/// <summary>
/// One user of the service, keyed by its integer id; its state is persisted. Writes go through
/// <see cref="IUserDirectoryGrain"/>, which owns id allocation and email uniqueness. A write that throws may still
/// have reached storage; a later <see cref="GetAsync"/> answers from storage and says which.
/// </summary>
public interface IUserGrain : IGrainWithIntegerKey
{
    /// <summary>The user, or null when no user has this id.</summary>
    Task<UserProfile?> GetAsync();

    /// <summary>Stores a new user (version 1) under this grain's id; fails when the id is already taken.</summary>
    Task<UserProfile> CreateAsync(string name, string email);

    /// <summary>Replaces the name and email of an existing user, one version up; null when no user has this id.</summary>
    Task<UserProfile?> UpdateAsync(string name, string email);

    /// <summary>Removes the user; false when no user had this id.</summary>
    Task<bool> DeleteAsync();
}
