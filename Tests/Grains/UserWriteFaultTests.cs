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
    public enum UserWrite
    {
        Create,
        ChangeEmail,
        ChangeName,
        Delete,
    }

    private IGrainFactory Grains => fixture.Cluster.Client;

    private StorageFaults Faults => fixture.Faults;

    private IUserDirectoryGrain Directory => Grains.GetGrain<IUserDirectoryGrain>(0);

    [Theory]
    [InlineData(UserWrite.Create, new[] { "users", "user", "users" })]
    [InlineData(UserWrite.ChangeEmail, new[] { "users", "user", "users" })]
    [InlineData(UserWrite.ChangeName, new[] { "user" })]
    [InlineData(UserWrite.Delete, new[] { "users", "user", "users" })]
    public async Task The_index_records_a_write_as_pending_before_the_user_grain_writes_and_settles_it_after(UserWrite write, string[] expected)
    {
        var scene = await SceneAsync(write);
        Faults.Reset();

        var result = await RunAsync(write, scene);

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
        var scene = await SceneAsync(write);
        Faults.Fail(failedWrite, timing);

        var (result, error) = await TryRunAsync(write, scene);

        Assert.True(Faults.Struck, $"{write} made fewer than {failedWrite + 1} writes");
        Faults.Reset();
        if (takesEffect)
        {
            Assert.Null(error);
            Assert.Equal(UserWriteStatus.Done, result!.Status);
        }
        else
        {
            Assert.True(IsInjected(error), $"expected the injected fault, got {error}");
        }

        await AssertStateAsync(write, scene, takesEffect);
        await AssertActivationsHoldTheStoredStateAsync(scene);
        await AssertEmailsAsync(write, scene, takesEffect);
    }

    [Theory]
    [InlineData(UserWrite.Create)]
    [InlineData(UserWrite.ChangeEmail)]
    [InlineData(UserWrite.Delete)]
    public async Task While_any_storage_write_is_slow_a_racing_create_of_the_contested_email_never_shares_it(UserWrite write)
    {
        for (var index = 0; index < 3; index++)
        {
            var scene = await SceneAsync(write);
            var contested = write == UserWrite.Delete ? scene.OldEmail : scene.NewEmail;
            Faults.Delay(index, WriteFaultTiming.BeforeStorage, TimeSpan.FromMilliseconds(300));

            var slow = RunAsync(write, scene);
            var racing = Directory.CreateAsync("Racer", contested.ToUpperInvariant());
            await Task.WhenAll(slow, racing);

            Assert.True(Faults.Struck);
            Faults.Reset();
            // Whichever of the two the directory took first, the users holding the contested email are exactly those
            // a successful create or email change handed it to (a delete's answer is the user it removed).
            var claims = new[] { write == UserWrite.Delete ? null : await slow, await racing }
                .Where(result => result is { Status: UserWriteStatus.Done }).Select(result => result!.Profile!).ToList();
            var holders = (await UserIndex.AssertConsistentAsync(Grains, await HighestIdAsync()))
                .Where(profile => string.Equals(profile.Email, contested, StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.Equal(claims, holders);
            Assert.Equal(write == UserWrite.Delete ? UserWriteStatus.Done : (await racing).Status == UserWriteStatus.Done ? UserWriteStatus.EmailTaken : UserWriteStatus.Done,
                (await slow).Status);
        }
    }

    [Fact]
    public async Task A_create_whose_user_write_outlasts_the_call_timeout_is_confirmed_not_orphaned()
    {
        var scene = await SceneAsync(UserWrite.Create);
        Faults.Delay(1, WriteFaultTiming.BeforeStorage, FaultyStorageClusterFixture.CallTimeout * 1.75);

        var (result, error) = await TryRunAsync(UserWrite.Create, scene);

        Assert.True(Faults.Struck);
        Faults.Reset();
        Assert.Null(error);
        Assert.Equal(scene.NewEmail, result!.Profile!.Email);
        var indexed = await UserIndex.AssertConsistentAsync(Grains, result.Profile.Id);
        Assert.Contains(result.Profile, indexed);
        Assert.Equal(UserWriteStatus.EmailTaken, (await Directory.CreateAsync("Again", scene.NewEmail.ToUpperInvariant())).Status);
    }

    /// <summary>The write is seen by the grains exactly when it took effect.</summary>
    private async Task AssertStateAsync(UserWrite write, Scene scene, bool takesEffect)
    {
        var indexed = await UserIndex.AssertConsistentAsync(Grains, await HighestIdAsync());
        var newHolder = indexed.SingleOrDefault(profile => profile.Email == scene.NewEmail);
        var current = scene.Existing is { } existing ? await Grains.GetGrain<IUserGrain>(existing.Id).GetAsync() : null;
        switch (write)
        {
            case UserWrite.Create:
                Assert.Equal(takesEffect, newHolder is not null);
                break;
            case UserWrite.ChangeEmail:
                Assert.Equal(takesEffect ? scene.NewEmail : scene.OldEmail, current!.Email);
                Assert.Equal(takesEffect ? current : null, newHolder);
                Assert.Contains(current, indexed);
                break;
            case UserWrite.ChangeName:
                Assert.Equal(takesEffect ? "New name" : "Old name", current!.Name);
                Assert.Contains(current, indexed);
                break;
            case UserWrite.Delete:
                Assert.Equal(takesEffect, current is null);
                Assert.Equal(!takesEffect, indexed.Any(profile => profile.Id == scene.Existing!.Id));
                break;
        }
    }

    /// <summary>What the activations answer is what storage holds: fresh activations, which read storage, answer the same.</summary>
    private async Task AssertActivationsHoldTheStoredStateAsync(Scene scene)
    {
        var ids = scene.Existing is { } existing ? new[] { existing.Id } : [];
        var before = await UserIndex.SnapshotAsync(Grains, ids);
        await fixture.Cluster.DeactivateAsync(Directory);
        foreach (var id in before.Ids.Concat(ids))
        {
            await fixture.Cluster.DeactivateAsync(Grains.GetGrain<IUserGrain>(id));
        }

        var after = await UserIndex.SnapshotAsync(Grains, ids);
        Assert.Equal(before.Ids, after.Ids);
        Assert.Equal(before.Profiles, after.Profiles);
    }

    /// <summary>The emails the write frees can be used again, in any letter case; the ones it holds cannot.</summary>
    private async Task AssertEmailsAsync(UserWrite write, Scene scene, bool takesEffect)
    {
        var (newEmailFree, oldEmailFree) = write switch
        {
            UserWrite.Create => (!takesEffect, true),
            UserWrite.ChangeEmail => (!takesEffect, takesEffect),
            UserWrite.ChangeName => (true, false),
            _ => (true, takesEffect),
        };

        Assert.Equal(newEmailFree, await IsFreeAsync(scene.NewEmail));
        Assert.Equal(oldEmailFree, await IsFreeAsync(scene.OldEmail));
        await UserIndex.AssertConsistentAsync(Grains, await HighestIdAsync());
    }

    /// <summary>Whether a create with <paramref name="email"/> in capitals succeeds (it then holds the email).</summary>
    private async Task<bool> IsFreeAsync(string email)
    {
        var probe = await Directory.CreateAsync("Probe", email.ToUpperInvariant());
        return probe.Status == UserWriteStatus.Done;
    }

    /// <summary>The highest id handed out: a create takes the next id, so this bounds every id a failed write may have touched.</summary>
    private async Task<long> HighestIdAsync()
    {
        var probe = await Directory.CreateAsync("Highest", $"highest-{Guid.NewGuid():N}@example.com");
        return probe.Profile!.Id;
    }

    private async Task<Scene> SceneAsync(UserWrite write)
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var scene = new Scene($"old-{tag}@example.com", $"new-{tag}@example.com", null);
        return write == UserWrite.Create ? scene : scene with { Existing = (await Directory.CreateAsync("Old name", scene.OldEmail)).Profile };
    }

    private Task<UserWriteResult> RunAsync(UserWrite write, Scene scene) => write switch
    {
        UserWrite.Create => Directory.CreateAsync("New name", scene.NewEmail),
        UserWrite.ChangeEmail => Directory.UpdateAsync(scene.Existing!.Id, null, scene.NewEmail),
        UserWrite.ChangeName => Directory.UpdateAsync(scene.Existing!.Id, "New name", null),
        _ => Directory.DeleteAsync(scene.Existing!.Id),
    };

    private async Task<(UserWriteResult? Result, Exception? Error)> TryRunAsync(UserWrite write, Scene scene)
    {
        try
        {
            return (await RunAsync(write, scene), null);
        }
        catch (Exception exception)
        {
            return (null, exception);
        }
    }

    private static bool IsInjected(Exception? error)
    {
        for (var exception = error; exception is not null; exception = exception.InnerException)
        {
            if (exception is InjectedStorageFaultException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A write's emails, and the user it updates or deletes (none for a create).</summary>
    private sealed record Scene(string OldEmail, string NewEmail, UserProfile? Existing);
}
