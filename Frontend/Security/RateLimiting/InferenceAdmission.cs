using Microsoft.Extensions.Options;
using OrleansSlm.Frontend.OpenAi;
using OrleansSlm.ServiceDefaults.Redis;

namespace OrleansSlm.Frontend.Security.RateLimiting;

/// <summary>
/// The per-key limits on generation, checked once a request is valid and before it reaches a silo: requests running
/// at once (<c>RateLimit:MaxConcurrentRequests</c>) and tokens per minute (<c>RateLimit:TokensPerMinute</c>, the
/// prompt's estimate plus the most the request may generate). Together they keep one key from holding every KV
/// cache slot and the whole queue.
/// </summary>
public sealed class InferenceAdmission
{
    /// <summary>OpenAI's own estimate for limits, made before the prompt is tokenised: about four characters a token.</summary>
    public const int CharactersPerToken = 4;

    private readonly ConcurrencyLimiter? _concurrency;
    private readonly SlidingWindowLimiter? _tokens;

    public InferenceAdmission(IOptions<RateLimitOptions> options, IOptions<RedisOptions> redisOptions, IServiceProvider services, TimeProvider clock, ILogger<InferenceAdmission> logger)
    {
        var redis = services.GetService<RedisConnection>();
        var prefix = redisOptions.Value.KeyPrefix;
        if (options.Value.MaxConcurrentRequests > 0)
        {
            _concurrency = new ConcurrencyLimiter(options.Value.MaxConcurrentRequests, redis, prefix, logger);
        }

        if (options.Value.TokensPerMinute > 0)
        {
            _tokens = new SlidingWindowLimiter("tokens", options.Value.TokensPerMinute, redis, prefix, clock, logger);
        }
    }

    public static long TokenCost(long promptCharacters, int maxTokens) => (promptCharacters + CharactersPerToken - 1) / CharactersPerToken + maxTokens;

    /// <summary>
    /// Admits one generation, writing the token headers, or answers why not. The lease returned must be disposed when
    /// the generation ends (a stream's last event), which frees its place under the concurrency limit.
    /// </summary>
    public async Task<(IAsyncDisposable Lease, IResult? Rejection)> AdmitAsync(HttpContext context, long tokenCost)
    {
        var caller = CallerIdentity.Of(context);
        IAsyncDisposable? lease = NoLease.Instance;
        if (_concurrency is not null && (lease = await _concurrency.TryAcquireAsync(caller)) is null)
        {
            RateLimitHeaders.WriteRetryAfter(context.Response, TimeSpan.FromSeconds(1));
            return (NoLease.Instance, ApiErrors.Error(
                StatusCodes.Status429TooManyRequests,
                $"Too many concurrent requests for this key: at most {_concurrency.Limit} may run at once; retry when one has finished.",
                "requests",
                code: "rate_limit_exceeded"));
        }

        if (_tokens is null)
        {
            return (lease, null);
        }

        var decision = await _tokens.TryAcquireAsync(caller, tokenCost);
        RateLimitHeaders.Write(context.Response, _tokens.Kind, decision);
        if (decision.Allowed)
        {
            return (lease, null);
        }

        await lease.DisposeAsync();
        if (decision.RetryAfter is not { } retryAfter)
        {
            return (NoLease.Instance, ApiErrors.Error(
                StatusCodes.Status429TooManyRequests,
                $"Request too large for this key's tokens per minute: limit {decision.Limit}, requested {tokenCost} " +
                $"(the prompt at {CharactersPerToken} characters a token plus max_tokens). Lower max_tokens or shorten the messages.",
                "tokens",
                code: "rate_limit_exceeded"));
        }

        RateLimitHeaders.WriteRetryAfter(context.Response, retryAfter);
        return (NoLease.Instance, ApiErrors.Error(
            StatusCodes.Status429TooManyRequests,
            $"Rate limit reached for tokens per minute: limit {decision.Limit}, remaining {decision.Remaining}, requested {tokenCost}; retry after the time in Retry-After.",
            "tokens",
            code: "rate_limit_exceeded"));
    }

    private sealed class NoLease : IAsyncDisposable
    {
        public static readonly NoLease Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
