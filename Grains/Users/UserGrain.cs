using Orleans.Placement;
using OrleansSlm.GrainsInterfaces.Users;

namespace OrleansSlm.Grains.Users;

/// <summary>
/// One user's profile. A write that fails puts the previous profile back and drops the activation: the write may
/// have reached storage before it failed (a lost acknowledgement, an ETag then out of step), so only a fresh
/// activation, which reads storage, knows which profile is stored. The next call, the directory's question after a
/// failed write included, is answered by that fresh activation.
/// </summary>
[RandomPlacement]
public sealed class UserGrain([PersistentState("user")] IPersistentState<UserState> state, TimeProvider clock) : Grain, IUserGrain
{
    public Task<UserProfile?> GetAsync() => Task.FromResult(state.State.Profile);

    public async Task<UserProfile> CreateAsync(string name, string email)
    {
        if (state.State.Profile is not null)
        {
            throw new UserAlreadyExistsException(this.GetPrimaryKeyLong());
        }

        var profile = new UserProfile(this.GetPrimaryKeyLong(), name, email, clock.GetUtcNow()) { Version = 1 };
        await StoreAsync(new UserState { Profile = profile }, state.WriteStateAsync);
        return profile;
    }

    public async Task<UserProfile?> UpdateAsync(string name, string email)
    {
        if (state.State.Profile is not { } current)
        {
            return null;
        }

        var updated = current with { Name = name, Email = email, Version = current.Version + 1 };
        await StoreAsync(new UserState { Profile = updated }, state.WriteStateAsync);
        return updated;
    }

    public async Task<bool> DeleteAsync()
    {
        if (state.State.Profile is null)
        {
            return false;
        }

        await StoreAsync(new UserState(), state.ClearStateAsync);
        return true;
    }

    private async Task StoreAsync(UserState next, Func<Task> write)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await write();
        }
        catch
        {
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }
    }
}
