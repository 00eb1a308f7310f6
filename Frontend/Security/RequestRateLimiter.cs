using Microsoft.Extensions.Options;
using OrleansSlm.Frontend.Security.RateLimiting;
using OrleansSlm.ServiceDefaults.Redis;

namespace OrleansSlm.Frontend.Security;

/// <summary><c>RateLimit:RequestsPerMinute</c>: requests per caller in any 60 s, shared by frontends through Redis when configured.</summary>
public sealed class RequestRateLimiter(
    IOptions<RateLimitOptions> options,
    IOptions<RedisOptions> redisOptions,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<RequestRateLimiter> logger)
{
    private readonly SlidingWindowLimiter? _limiter = options.Value.RequestsPerMinute > 0
        ? new SlidingWindowLimiter("requests", options.Value.RequestsPerMinute, services.GetService<RedisConnection>(), redisOptions.Value.KeyPrefix, clock, logger)
        : null;

    public bool Enabled => _limiter is not null;

    /// <summary>Counts one request and writes the request headers; the decision says whether it may go on.</summary>
    public async Task<LimitDecision> TryAcquireAsync(HttpContext context, string caller)
    {
        var decision = await _limiter!.TryAcquireAsync(caller, 1);
        RateLimitHeaders.Write(context.Response, _limiter.Kind, decision);
        return decision;
    }
}
