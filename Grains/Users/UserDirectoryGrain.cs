using OrleansSlm.GrainsInterfaces.Users;

namespace OrleansSlm.Grains.Users;

/// <summary>
/// The index is written before the user grain on create (so an id is never handed out twice) and after it
/// on update and delete (so the index never points at a user that was not written).
/// </summary>
public sealed class UserDirectoryGrain([PersistentState("users")] IPersistentState<UserDirectoryState> state, IGrainFactory grains)
    : Grain, IUserDirectoryGrain
{
    public async Task<UserWriteResult> CreateAsync(string name, string email)
    {
        var emailKey = EmailKey(email);
        if (state.State.IdsByEmail.ContainsKey(emailKey))
        {
            return UserWriteResult.EmailTaken;
        }

        var id = ++state.State.LastId;
        state.State.IdsByEmail[emailKey] = id;
        state.State.Ids.Add(id);
        await state.WriteStateAsync();
        return UserWriteResult.Done(await User(id).CreateAsync(name, email));
    }

    public async Task<UserWriteResult> UpdateAsync(long id, string? name, string? email)
    {
        if (!state.State.Ids.Contains(id) || await User(id).GetAsync() is not { } current)
        {
            return UserWriteResult.NotFound;
        }

        var newEmail = email ?? current.Email;
        var oldKey = EmailKey(current.Email);
        var newKey = EmailKey(newEmail);
        if (newKey != oldKey && state.State.IdsByEmail.ContainsKey(newKey))
        {
            return UserWriteResult.EmailTaken;
        }

        var updated = await User(id).UpdateAsync(name ?? current.Name, newEmail);
        if (newKey != oldKey)
        {
            state.State.IdsByEmail.Remove(oldKey);
            state.State.IdsByEmail[newKey] = id;
            await state.WriteStateAsync();
        }

        return UserWriteResult.Done(updated);
    }

    public async Task<UserWriteResult> DeleteAsync(long id)
    {
        if (!state.State.Ids.Contains(id) || await User(id).GetAsync() is not { } current)
        {
            return UserWriteResult.NotFound;
        }

        await User(id).DeleteAsync();
        state.State.Ids.Remove(id);
        state.State.IdsByEmail.Remove(EmailKey(current.Email));
        await state.WriteStateAsync();
        return UserWriteResult.Done(current);
    }

    public Task<UserIdPage> ListAsync(int offset, int limit) =>
        Task.FromResult(new UserIdPage(state.State.Ids.Skip(offset).Take(limit).ToList(), state.State.Ids.Count));

    private IUserGrain User(long id) => grains.GetGrain<IUserGrain>(id);

    private static string EmailKey(string email) => email.Trim().ToLowerInvariant();
}
