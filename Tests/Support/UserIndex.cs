using Orleans;
using OrleansSlm.GrainsInterfaces.Users;

namespace OrleansSlm.Tests.Support;

/// <summary>The users as the directory and the user grains answer for them, and what must hold of them after any fault.</summary>
public static class UserIndex
{
    /// <summary>
    /// Asserts that every indexed id has a profile with that id, that no user among ids 1 to <paramref name="highestId"/>
    /// has a profile outside the index, and that no two indexed users share an email in any letter case. Returns the
    /// indexed profiles.
    /// </summary>
    public static async Task<IReadOnlyList<UserProfile>> AssertConsistentAsync(IGrainFactory grains, long highestId)
    {
        var page = await grains.GetGrain<IUserDirectoryGrain>(0).ListAsync(0, int.MaxValue);
        Assert.Equal(page.Total, page.Ids.Count);
        var profiles = new List<UserProfile>();
        foreach (var id in page.Ids)
        {
            var profile = await grains.GetGrain<IUserGrain>(id).GetAsync();
            Assert.True(profile is not null, $"user {id} is in the index but has no profile");
            Assert.Equal(id, profile.Id);
            profiles.Add(profile);
        }

        var shared = profiles.GroupBy(profile => profile.Email.ToLowerInvariant()).Where(group => group.Count() > 1).Select(group => group.Key);
        Assert.Empty(shared);
        var indexed = page.Ids.ToHashSet();
        for (var id = 1L; id <= highestId; id++)
        {
            if (!indexed.Contains(id))
            {
                var orphan = await grains.GetGrain<IUserGrain>(id).GetAsync();
                Assert.True(orphan is null, $"user {id} has a profile ({orphan?.Email}) but is not in the index");
            }
        }

        return profiles;
    }

    /// <summary>The indexed ids and the profiles of those ids and of <paramref name="alsoIds"/>, as the grains answer now.</summary>
    public static async Task<(IReadOnlyList<long> Ids, IReadOnlyList<UserProfile?> Profiles)> SnapshotAsync(IGrainFactory grains, params long[] alsoIds)
    {
        var ids = (await grains.GetGrain<IUserDirectoryGrain>(0).ListAsync(0, int.MaxValue)).Ids;
        var profiles = await Task.WhenAll(ids.Concat(alsoIds).Select(id => grains.GetGrain<IUserGrain>(id).GetAsync()));
        return (ids, profiles);
    }
}
