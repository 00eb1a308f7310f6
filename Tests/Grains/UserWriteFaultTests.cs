using Orleans;
using OrleansSlm.GrainsInterfaces.Users;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Grains;

/// <summary>
/// Fault injection on the users' write path: each storage write of a create, an update and a delete fails in turn
/// (before storage has it, or after it took it and the acknowledgement was lost) or is slowed, and the users must then
/// be in the old state or the new one, never in between.
/// </summary>
[Collection(FaultyStorageCollection.Name)]
public sealed class UserWriteFaultTests(FaultyStorageClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.Client;

    private StorageFaults Faults => fixture.Faults;

    [Theory]
    [InlineData(UserWrite.Create, new[] { "users", "user", "users" })]
    [InlineData(UserWrite.ChangeEmail, new[] { "users", "user", "users" })]
    [InlineData(UserWrite.ChangeName, new[] { "user" })]
    [InlineData(UserWrite.Delete, new[] { "users", "user", "users" })]
    public async Task The_index_records_a_write_as_pending_before_the_user_grain_writes_and_settles_it_after(UserWrite write, string[] expected)
    {
        var scene = await UserWriteScene.StartAsync(Grains, write);
        Faults.Reset();

        var result = await scene.RunAsync(Grains);

        Assert.Equal(UserWriteStatus.Done, result.Status);
        Assert.Equal(expected, Faults.Writes);
    }

    /// <summary>
    /// Every storage write of every user write, failing before and after storage. The write takes effect exactly when
    /// the user grain's own write (index 1, or 0 for a name change) reached storage: that write is the commit point.
    /// </summary>
    public static TheoryData<UserWrite, int, WriteFaultTiming, bool> EveryWritePoint()
    {
        var data = new TheoryData<UserWrite, int, WriteFaultTiming, bool>();
        foreach (var (write, writes, userWrite) in new[] { (UserWrite.Create, 3, 1), (UserWrite.ChangeEmail, 3, 1), (UserWrite.ChangeName, 1, 0), (UserWrite.Delete, 3, 1) })
        {
            for (var index = 0; index < writes; index++)
            {
                foreach (var timing in Enum.GetValues<WriteFaultTiming>())
                {
                    data.Add(write, index, timing, index > userWrite || (index == userWrite && timing == WriteFaultTiming.AfterStorage));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryWritePoint))]
    public async Task A_write_failing_at_any_storage_write_leaves_the_old_state_or_the_new_one_and_says_which(
        UserWrite write, int failedWrite, WriteFaultTiming timing, bool takesEffect)
    {
        var scene = await UserWriteScene.StartAsync(Grains, write);
        Faults.Fail(failedWrite, timing);

        var (result, error) = await scene.TryRunAsync(Grains);

        Assert.True(Faults.Struck, $"{write} made fewer than {failedWrite + 1} writes");
        Faults.Reset();
        if (takesEffect)
        {
            Assert.Null(error);
            Assert.Equal(UserWriteStatus.Done, result!.Status);
        }
        else
        {
            Assert.True(InjectedStorageFaultException.Caused(error), $"expected the injected fault, got {error}");
        }

        await scene.AssertStateAsync(Grains, takesEffect);
        await AssertActivationsHoldTheStoredStateAsync(scene);
        await scene.AssertEmailsAsync(Grains, takesEffect);
    }

    [Theory]
    [InlineData(UserWrite.Create)]
    [InlineData(UserWrite.ChangeEmail)]
    [InlineData(UserWrite.Delete)]
    public async Task While_any_storage_write_is_slow_a_racing_create_of_the_contested_email_never_shares_it(UserWrite write)
    {
        for (var index = 0; index < 3; index++)
        {
            var scene = await UserWriteScene.StartAsync(Grains, write);
            Faults.Delay(index, WriteFaultTiming.BeforeStorage, TimeSpan.FromMilliseconds(300));

            var slow = scene.RunAsync(Grains);
            var racing = Grains.GetGrain<IUserDirectoryGrain>(0).CreateAsync("Racer", scene.ContestedEmail.ToUpperInvariant());
            await Task.WhenAll(slow, racing);

            Assert.True(Faults.Struck);
            Faults.Reset();
            // Whichever of the two the directory took first, the users holding the contested email are exactly those
            // a successful create or email change handed it to (a delete's answer is the user it removed).
            var claims = new[] { write == UserWrite.Delete ? null : await slow, await racing }
                .Where(result => result is { Status: UserWriteStatus.Done }).Select(result => result!.Profile!).ToList();
            var holders = (await UserIndex.AssertConsistentAsync(Grains, await UserWriteScene.HighestIdAsync(Grains)))
                .Where(profile => string.Equals(profile.Email, scene.ContestedEmail, StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.Equal(claims, holders);
            Assert.Equal(write == UserWrite.Delete ? UserWriteStatus.Done : (await racing).Status == UserWriteStatus.Done ? UserWriteStatus.EmailTaken : UserWriteStatus.Done,
                (await slow).Status);
        }
    }

    [Fact]
    public async Task A_create_whose_user_write_outlasts_the_call_timeout_is_confirmed_not_orphaned()
    {
        var scene = await UserWriteScene.StartAsync(Grains, UserWrite.Create);
        Faults.Delay(1, WriteFaultTiming.BeforeStorage, FaultyStorageClusterFixture.CallTimeout * 1.75);

        var (result, error) = await scene.TryRunAsync(Grains);

        Assert.True(Faults.Struck);
        Faults.Reset();
        Assert.Null(error);
        Assert.Equal(scene.NewEmail, result!.Profile!.Email);
        await scene.AssertStateAsync(Grains, tookEffect: true);
        await scene.AssertEmailsAsync(Grains, tookEffect: true);
    }

    /// <summary>What the activations answer is what storage holds: fresh activations, which read storage, answer the same.</summary>
    private async Task AssertActivationsHoldTheStoredStateAsync(UserWriteScene scene)
    {
        var ids = scene.Existing is { } existing ? new[] { existing.Id } : [];
        var before = await UserIndex.SnapshotAsync(Grains, ids);
        await fixture.Cluster.DeactivateAsync(Grains.GetGrain<IUserDirectoryGrain>(0));
        foreach (var id in before.Ids.Concat(ids))
        {
            await fixture.Cluster.DeactivateAsync(Grains.GetGrain<IUserGrain>(id));
        }

        var after = await UserIndex.SnapshotAsync(Grains, ids);
        Assert.Equal(before.Ids, after.Ids);
        Assert.Equal(before.Profiles, after.Profiles);
    }
}
