using System.Net;
using Microsoft.Extensions.Options;

namespace OrleansSlm.Frontend.Security;

/// <summary>
/// Failed dashboard sign-ins per client address and minute (<c>Dashboard:SignInAttemptsPerMinute</c>), so that keys
/// cannot be guessed through the form; counted by <see cref="MinuteCounters"/>, shared through Redis when it is
/// configured. Every attempt takes a place before its key is checked and a successful one gives it back, so a burst
/// of parallel guesses gets no more tries than a sequence would.
/// </summary>
public sealed class SignInThrottle(IOptions<DashboardOptions> options, MinuteCounters counters)
{
    private readonly int _limit = options.Value.SignInAttemptsPerMinute;

    /// <summary>Takes a place for one attempt; returns the seconds to wait when the address has used up its attempts, else null.</summary>
    public async Task<int?> TryBeginAsync(IPAddress? client) =>
        await counters.AddAsync(Name(client), 1) > _limit ? counters.SecondsLeft() : null;

    /// <summary>A successful sign-in does not count against the address.</summary>
    public Task SucceededAsync(IPAddress? client) => counters.AddAsync(Name(client), -1);

    private static string Name(IPAddress? client) => $"signin:{client}";
}
