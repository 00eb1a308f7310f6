using Orleans;
using OrleansSlm.GrainsInterfaces.Users;

namespace OrleansSlm.Tests.Support;

/// <summary>The user writes the fault tests break.</summary>
public enum UserWrite
{
    Create,
    ChangeEmail,
    ChangeName,
    Delete,
}

/// <summary>
/// One user write under test: its emails (fresh for each scene), the user it changes (none for a create), and what
/// must hold of the users afterwards, whether the write took effect or not.
/// </summary>
public sealed record UserWriteScene(UserWrite Write, string OldEmail, string NewEmail, UserProfile? Existing)
{
    public const string OldName = "Old name";
    public const string NewName = "New name";

    /// <summary>The email a racing create would contest: the one the write hands out, or for a delete the one it frees.</summary>
    public string ContestedEmail => Write == UserWrite.Delete ? OldEmail : NewEmail;

    /// <summary>A scene for <paramref name="write"/>, with the user it changes already created.</summary>
    public static async Task<UserWriteScene> StartAsync(IGrainFactory grains, UserWrite write)
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        var scene = new UserWriteScene(write, $"old-{tag}@example.com", $"new-{tag}@example.com", null);
        return write == UserWrite.Create ? scene : scene with { Existing = (await Directory(grains).CreateAsync(OldName, scene.OldEmail)).Profile };
    }

    public Task<UserWriteResult> RunAsync(IGrainFactory grains) => Write switch
    {
        UserWrite.Create => Directory(grains).CreateAsync(NewName, NewEmail),
        UserWrite.ChangeEmail => Directory(grains).UpdateAsync(Existing!.Id, null, NewEmail),
        UserWrite.ChangeName => Directory(grains).UpdateAsync(Existing!.Id, NewName, null),
        _ => Directory(grains).DeleteAsync(Existing!.Id),
    };

    /// <summary>The write's answer, or the exception it ended with.</summary>
    public async Task<(UserWriteResult? Result, Exception? Error)> TryRunAsync(IGrainFactory grains)
    {
        try
        {
            return (await RunAsync(grains), null);
        }
        catch (Exception exception)
        {
            return (null, exception);
        }
    }

    /// <summary>The users are consistent, and the write is seen by the grains exactly when it took effect.</summary>
    public async Task AssertStateAsync(IGrainFactory grains, bool tookEffect)
    {
        var indexed = await UserIndex.AssertConsistentAsync(grains, await HighestIdAsync(grains));
        var newHolder = indexed.SingleOrDefault(profile => profile.Email == NewEmail);
        var current = Existing is { } existing ? await grains.GetGrain<IUserGrain>(existing.Id).GetAsync() : null;
        switch (Write)
        {
            case UserWrite.Create:
                Assert.Equal(tookEffect, newHolder is not null);
                break;
            case UserWrite.ChangeEmail:
                Assert.Equal(tookEffect ? NewEmail : OldEmail, current!.Email);
                Assert.Equal(tookEffect ? current : null, newHolder);
                Assert.Contains(current, indexed);
                break;
            case UserWrite.ChangeName:
                Assert.Equal(tookEffect ? NewName : OldName, current!.Name);
                Assert.Contains(current, indexed);
                break;
            case UserWrite.Delete:
                Assert.Equal(tookEffect, current is null);
                Assert.Equal(!tookEffect, indexed.Any(profile => profile.Id == Existing!.Id));
                break;
        }
    }

    /// <summary>The emails the write freed (a failed create's included) can be used again in any letter case; those it holds cannot.</summary>
    public async Task AssertEmailsAsync(IGrainFactory grains, bool tookEffect)
    {
        var (newEmailFree, oldEmailFree) = Write switch
        {
            UserWrite.Create => (!tookEffect, true),
            UserWrite.ChangeEmail => (!tookEffect, tookEffect),
            UserWrite.ChangeName => (true, false),
            _ => (true, tookEffect),
        };

        Assert.Equal(newEmailFree, await IsFreeAsync(grains, NewEmail));
        Assert.Equal(oldEmailFree, await IsFreeAsync(grains, OldEmail));
        await UserIndex.AssertConsistentAsync(grains, await HighestIdAsync(grains));
    }

    /// <summary>The highest id handed out: a create takes the next id, so this bounds every id a failed write may have touched.</summary>
    public static async Task<long> HighestIdAsync(IGrainFactory grains)
    {
        var probe = await Directory(grains).CreateAsync("Highest", $"highest-{Guid.NewGuid():N}@example.com");
        return probe.Profile!.Id;
    }

    /// <summary>Whether a create with <paramref name="email"/> in capitals succeeds (it then holds the email).</summary>
    private static async Task<bool> IsFreeAsync(IGrainFactory grains, string email) =>
        (await Directory(grains).CreateAsync("Probe", email.ToUpperInvariant())).Status == UserWriteStatus.Done;

    private static IUserDirectoryGrain Directory(IGrainFactory grains) => grains.GetGrain<IUserDirectoryGrain>(0);
}
