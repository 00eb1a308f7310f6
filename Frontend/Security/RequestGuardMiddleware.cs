using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OrleansSlm.Frontend.OpenAi;
using OrleansSlm.Frontend.Security.RateLimiting;
using OrleansSlm.ServiceDefaults.Observability;

namespace OrleansSlm.Frontend.Security;

/// <summary>Body size limit, API key and rate limit, in that order, before any endpoint runs.</summary>
public sealed class RequestGuardMiddleware(
    RequestDelegate next,
    ApiKeyValidator keys,
    DashboardSession dashboardSession,
    RequestRateLimiter rateLimiter,
    IOptions<HttpLimitsOptions> limits)
{
    /// <summary>
    /// Probes and the service description stay open so orchestrators and load balancers need no key; the dashboard's
    /// sign-in form checks the key it is given itself.
    /// </summary>
    private static readonly HashSet<string> OpenPaths = new(StringComparer.OrdinalIgnoreCase) { "/", "/healthz", "/readyz", DashboardSignIn.LoginPath };

    public async Task InvokeAsync(HttpContext context)
    {
        var maxBody = limits.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > maxBody)
        {
            await ApiErrors.Error(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {maxBody} bytes.", "invalid_request_error", code: "request_too_large")
                .ExecuteAsync(context);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = maxBody;
        }

        if (OpenPaths.Contains(context.Request.Path.Value ?? "/"))
        {
            await next(context);
            return;
        }

        string caller;
        if (keys.KeysRequired)
        {
            var presented = BearerKeyDigest(context.Request);
            var session = presented is null && DashboardSignIn.IsDashboardPath(context.Request.Path) ? DashboardSignIn.SessionCookie(context.Request) : null;
            if (session is not null && dashboardSession.IsValid(session))
            {
                // A signed-in browser on the dashboard, which stays outside the rate limit.
                await next(context);
                return;
            }

            if (presented is null && DashboardSignIn.IsDashboardPage(context.Request.Path))
            {
                context.Response.Redirect(DashboardSignIn.LoginPath);
                return;
            }

            if (presented is null || !keys.IsValid(presented))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                var message = presented is not null ? "Incorrect API key provided."
                    : session is not null ? $"The dashboard session has expired or its key is no longer accepted: sign in again at {DashboardSignIn.LoginPath}."
                    : "Missing API key: send it as 'Authorization: Bearer <key>'.";
                await ApiErrors.Error(StatusCodes.Status401Unauthorized, message, "invalid_request_error", code: "invalid_api_key").ExecuteAsync(context);
                return;
            }

            caller = $"key-{Convert.ToHexString(presented)[..16]}";
        }
        else
        {
            // The client's address as the proxy in front reported it, when that proxy is a known one.
            caller = CallerIdentity.ForAddress(context);
        }

        CallerIdentity.Set(context, caller);
        if (rateLimiter.Enabled && !IsOperatorPath(context.Request.Path) && await rateLimiter.TryAcquireAsync(context, caller) is { Allowed: false } refused)
        {
            RateLimitHeaders.WriteRetryAfter(context.Response, refused.RetryAfter!.Value);
            await ApiErrors.Error(
                    StatusCodes.Status429TooManyRequests,
                    $"Rate limit reached for requests per minute: limit {refused.Limit}; retry after the time in Retry-After.",
                    "requests",
                    code: "rate_limit_exceeded")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    /// <summary>
    /// Scrapes and the dashboard, which polls every second, stay outside the rate limit: it protects the API's capacity,
    /// and an open dashboard tab must not use up the budget of the key it signed in with.
    /// </summary>
    private static bool IsOperatorPath(PathString path) =>
        path.StartsWithSegments(MetricsExtensions.Path, StringComparison.OrdinalIgnoreCase) || DashboardSignIn.IsDashboardPath(path);

    /// <summary>The digest of the bearer key, or null without one.</summary>
    private static byte[]? BearerKeyDigest(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && header.Length > scheme.Length
            ? ApiKeyValidator.Digest(header[scheme.Length..].Trim())
            : null;
    }
}
