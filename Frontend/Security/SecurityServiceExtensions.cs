using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansSlm.Frontend.Security.RateLimiting;
using OrleansSlm.ServiceDefaults.Configuration;

namespace OrleansSlm.Frontend.Security;

public static class SecurityServiceExtensions
{
    public static WebApplicationBuilder AddRequestGuards(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .Validate(auth => auth.ApiKeys.All(key => !string.IsNullOrWhiteSpace(key)), "Auth:ApiKeys must not hold an empty key.")
            .ValidateOnStart();
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName)
            .Validate(limit => limit.RequestsPerMinute >= 0, "RateLimit:RequestsPerMinute must be 0 (off) or positive.")
            .Validate(limit => limit.TokensPerMinute >= 0, "RateLimit:TokensPerMinute must be 0 (off) or positive.")
            .Validate(limit => limit.MaxConcurrentRequests >= 0, "RateLimit:MaxConcurrentRequests must be 0 (off) or positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<HttpLimitsOptions>().BindConfiguration(HttpLimitsOptions.SectionName)
            .Validate(http => http.MaxRequestBodyBytes >= 1024, "Http:MaxRequestBodyBytes must be at least 1024.")
            .ValidateOnStart();
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName)
            .Validate(dashboard => dashboard.SessionSecret.Length is 0 or >= 32, "Dashboard:SessionSecret must be at least 32 characters (or unset).")
            .Validate(dashboard => dashboard.SessionHours is >= 1 and <= 168, "Dashboard:SessionHours must be between 1 and 168 (a week).")
            .Validate(dashboard => dashboard.SignInAttemptsPerMinute >= 1, "Dashboard:SignInAttemptsPerMinute must be at least 1.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.SectionName)
            .Validate(proxies => proxies.KnownProxies.All(proxy => IPAddress.TryParse(proxy, out _)),
                "Http:ForwardedHeaders:KnownProxies must hold IP addresses (10.0.3.7, fd00::7).")
            .Validate(proxies => proxies.KnownNetworks.All(network => System.Net.IPNetwork.TryParse(network, out _)),
                "Http:ForwardedHeaders:KnownNetworks must hold networks in CIDR form (10.0.0.0/16).")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((forwarded, settings) =>
        {
            // Loopback stays trusted, as ASP.NET Core has it; the configured proxies come on top.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in settings.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.Services.AddSingleton<ApiKeyValidator>();
        builder.Services.AddSingleton<MinuteCounters>();
        builder.Services.AddSingleton<RequestRateLimiter>();
        builder.Services.AddSingleton<InferenceAdmission>();
        builder.Services.AddSingleton<DashboardSession>();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// Takes the client's address and scheme from known proxies' forwarded headers, then adds the guard middleware;
    /// warns once when the API is open to anyone, or when dashboard sessions cannot be shared between frontends.
    /// </summary>
    public static WebApplication UseRequestGuards(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<ApiKeyValidator>().KeysRequired)
        {
            app.Logger.LogWarning("No API key is configured (Auth:ApiKeys): every endpoint is open to anyone who can reach it.");
        }
        else if (!app.Services.GetRequiredService<DashboardSession>().SecretConfigured
            && app.Services.GetRequiredService<IOptions<OrleansOptions>>().Value.Mode == OrleansMode.Client)
        {
            app.Logger.LogWarning(
                "No Dashboard:SessionSecret is configured: a dashboard sign-in works only on the frontend that took it, until it restarts. " +
                "Behind a load balancer, set the same secret on every frontend.");
        }

        app.UseForwardedHeaders();
        app.UseMiddleware<RequestGuardMiddleware>();
        return app;
    }
}
