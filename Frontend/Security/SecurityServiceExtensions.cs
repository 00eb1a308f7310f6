namespace OrleansSlm.Frontend.Security;

public static class SecurityServiceExtensions
{
    public static WebApplicationBuilder AddRequestGuards(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.Configure<AuthOptions>(configuration.GetSection(AuthOptions.SectionName));
        builder.Services.Configure<RateLimitOptions>(configuration.GetSection(RateLimitOptions.SectionName));
        builder.Services.Configure<HttpLimitsOptions>(configuration.GetSection(HttpLimitsOptions.SectionName));
        builder.Services.AddSingleton<ApiKeyValidator>();
        builder.Services.AddSingleton<RequestRateLimiter>();
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
