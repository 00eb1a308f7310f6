using Microsoft.Extensions.Options;

namespace OrleansSlm.Frontend.Security;

/// <summary>
/// A fixed one-minute window per caller (<c>RateLimit:RequestsPerMinute</c>), counted by <see cref="MinuteCounters"/>:
/// shared by every frontend through Redis when it is configured.
/// </summary>
public sealed class RequestRateLimiter(IOptions<RateLimitOptions> options, MinuteCounters counters)
{
    private readonly int _limit = options.Value.RequestsPerMinute;

    public bool Enabled => _limit > 0;

    /// <summary>Counts one request; returns the seconds to wait when the caller is over its limit, else null.</summary>
    public async Task<int?> TryAcquireAsync(string caller) =>
        await counters.AddAsync($"ratelimit:{caller}", 1) > _limit ? counters.SecondsLeft() : null;
}
