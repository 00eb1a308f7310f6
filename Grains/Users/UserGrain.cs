using Orleans.Placement;
using OrleansSlm.GrainsInterfaces.Users;

namespace OrleansSlm.Grains.Users;

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

        var profile = new UserProfile(this.GetPrimaryKeyLong(), name, email, clock.GetUtcNow());
        state.State.Profile = profile;
        await state.WriteStateAsync();
        return profile;
    }

    public async Task<UserProfile?> UpdateAsync(string name, string email)
    {
        if (state.State.Profile is not { } current)
        {
            return null;
        }

        var updated = current with { Name = name, Email = email };
        state.State.Profile = updated;
        await state.WriteStateAsync();
        return updated;
    }

    public async Task<bool> DeleteAsync()
    {
        if (state.State.Profile is null)
        {
            return false;
        }

        await state.ClearStateAsync();
        return true;
    }
}
