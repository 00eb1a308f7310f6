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
}
