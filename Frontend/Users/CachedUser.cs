namespace OrleansSlm.Frontend.Users;

/// <summary>A user answer found in the cache: the user's JSON, or null when the answer is that no user has the id.</summary>
public sealed record CachedUser(string? Json);
