using OrleansSlm.Frontend.Security.RateLimiting;

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
        builder.Services.AddSingleton<ApiKeyValidator>();
        builder.Services.AddSingleton<RequestRateLimiter>();
        builder.Services.AddSingleton<InferenceAdmission>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Adds the guard middleware and warns once when the API is open to anyone.</summary>
    public static WebApplication UseRequestGuards(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<ApiKeyValidator>().KeysRequired)
        {
            app.Logger.LogWarning("No API key is configured (Auth:ApiKeys): every endpoint is open to anyone who can reach it.");
        }

        app.UseMiddleware<RequestGuardMiddleware>();
        return app;
    }
}
