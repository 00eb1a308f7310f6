using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using OrleansSlm.GrainsInterfaces.Users;

namespace OrleansSlm.Grains.Users;

/// <summary>
/// Every write that touches the index runs in three steps: (1) the index stores the write as pending (a create also
/// stores the id it takes, so an id is never handed out twice); (2) the user grain is written, and that write is the
/// commit point; (3) the index stores the outcome, read from what the user grain holds, and drops the pending entry.
/// A stop or a storage failure before (2) reaches storage leaves the old state; one after it leaves the new state,
/// because settling a pending entry asks the user grain and believes its answer. A change of name only has step (2).
/// </summary>
/// <remarks>
/// The grain runs one call at a time, so during a call nothing else reads the index, and every call begins by settling
/// the entries a previous activation left pending (it was killed, or could not store step 3): an email is never
/// answered "taken" for a user that does not exist, nor given to a second user, and a pending entry lasts only until
/// the next call. A user grain also runs one call at a time, so the question after a failed or timed-out write is
/// answered only once that write has ended.
/// </remarks>
public sealed class UserDirectoryGrain(
    [PersistentState("users")] IPersistentState<UserDirectoryState> state, IGrainFactory grains, ILogger<UserDirectoryGrain> logger)
    : Grain, IUserDirectoryGrain
{
    public async Task<UserWriteResult> CreateAsync(string name, string email)
    {
        await SettleLeftoversAsync();
        if (state.State.IdsByEmail.ContainsKey(EmailKey(email)))
        {
            return UserWriteResult.EmailTaken;
        }

        var id = state.State.LastId + 1;
        var pending = new PendingUserWrite(id, IndexedEmail: null);
        await BeginAsync(pending);
        var created = await CommitAsync(id, pending, async () => await User(id).CreateAsync(name, email), outcome => outcome is not null);
        return UserWriteResult.Done(created);
    }

    public async Task<UserWriteResult> UpdateAsync(long id, string? name, string? email)
    {
        await SettleLeftoversAsync();
        if (!state.State.Ids.Contains(id) || await User(id).GetAsync() is not { } current)
        {
            return UserWriteResult.NotFound;
        }

        var newEmail = email ?? current.Email;
        var oldKey = EmailKey(current.Email);
        var newKey = EmailKey(newEmail);
        PendingUserWrite? pending = null;
        if (newKey != oldKey)
        {
            if (state.State.IdsByEmail.ContainsKey(newKey))
            {
                return UserWriteResult.EmailTaken;
            }

            pending = new PendingUserWrite(id, oldKey);
            await BeginAsync(pending);
        }

        var updated = await CommitAsync(id, pending, () => User(id).UpdateAsync(name ?? current.Name, newEmail), outcome => outcome?.Version > current.Version);
        return updated is null ? UserWriteResult.NotFound : UserWriteResult.Done(updated);
    }

    public async Task<UserWriteResult> DeleteAsync(long id)
    {
        await SettleLeftoversAsync();
        if (!state.State.Ids.Contains(id) || await User(id).GetAsync() is not { } current)
        {
            return UserWriteResult.NotFound;
        }

        var pending = new PendingUserWrite(id, EmailKey(current.Email));
        await BeginAsync(pending);
        await CommitAsync(id, pending, async () =>
        {
            await User(id).DeleteAsync();
            return null;
        }, outcome => outcome is null);
        return UserWriteResult.Done(current);
    }

    public async Task<UserIdPage> ListAsync(int offset, int limit)
    {
        await SettleLeftoversAsync();
        return new UserIdPage(state.State.Ids.Skip(offset).Take(limit).ToList(), state.State.Ids.Count);
    }

    /// <summary>Step 1: the pending entry (and a create's id) is stored before the user grain is touched; failing here changes nothing.</summary>
    private Task BeginAsync(PendingUserWrite pending)
    {
        var next = state.State.Copy();
        next.LastId = Math.Max(next.LastId, pending.Id);
        next.Pending[pending.Id] = pending;
        return StoreAsync(next);
    }

    /// <summary>
    /// Step 2, then step 3 when the write has a <paramref name="pending"/> entry. When the user write throws, the user
    /// grain is asked what it holds: the write may have reached storage before failing, or still be running after the
    /// call timed out. The call succeeds exactly when the write took effect, as <paramref name="tookEffect"/> judges the
    /// user's profile afterwards; if the question fails too, the entry stays pending for the next call to settle.
    /// </summary>
    private async Task<UserProfile?> CommitAsync(
        long id, PendingUserWrite? pending, Func<Task<UserProfile?>> write, Func<UserProfile?, bool> tookEffect)
    {
        Exception? failure = null;
        UserProfile? outcome;
        try
        {
            outcome = await write();
        }
        catch (Exception exception)
        {
            failure = exception;
            outcome = await User(id).GetAsync();
        }

        if (pending is not null)
        {
            await SettleAfterCommitAsync(pending, outcome);
        }

        if (failure is not null && !tookEffect(outcome))
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return outcome;
    }

    /// <summary>
    /// Step 3. The outcome is already decided by the user grain's state, so a failure to store it is not the caller's
    /// failure: the pending entry stays in storage and the next activation settles it the same way.
    /// </summary>
    private async Task SettleAfterCommitAsync(PendingUserWrite pending, UserProfile? outcome)
    {
        try
        {
            await StoreAsync(Settled(pending, outcome));
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "The user index could not store the outcome of the write of user {Id}; its next activation settles it", pending.Id);
        }
    }

    /// <summary>Settles what a previous activation left pending; a call fails rather than answer from an index that is not settled.</summary>
    private async Task SettleLeftoversAsync()
    {
        foreach (var pending in state.State.Pending.Values.ToList())
        {
            await StoreAsync(Settled(pending, await User(pending.Id).GetAsync()));
        }
    }

    /// <summary>The index with user <paramref name="pending"/>.Id indexed exactly as its profile says: under its email, or not at all.</summary>
    private UserDirectoryState Settled(PendingUserWrite pending, UserProfile? profile)
    {
        var next = state.State.Copy();
        next.Pending.Remove(pending.Id);
        if (pending.IndexedEmail is { } indexed)
        {
            next.IdsByEmail.Remove(indexed);
        }

        next.Ids.Remove(pending.Id);
        if (profile is not null)
        {
            next.IdsByEmail[EmailKey(profile.Email)] = pending.Id;
            next.Ids.Add(pending.Id);
        }

        return next;
    }

    /// <summary>
    /// Stores <paramref name="next"/> as the state. On failure the previous state is put back and the activation is
    /// dropped: the write may have reached storage anyway, and only a fresh activation reads which state did.
    /// </summary>
    private async Task StoreAsync(UserDirectoryState next)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }
    }

    private IUserGrain User(long id) => grains.GetGrain<IUserGrain>(id);

    private static string EmailKey(string email) => email.Trim().ToLowerInvariant();
}
