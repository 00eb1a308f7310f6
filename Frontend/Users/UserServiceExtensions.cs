namespace OrleansSlm.Frontend.Users;

public static class UserServiceExtensions
{
    /// <summary>The users API's cache and its settings, checked at start.</summary>
    public static WebApplicationBuilder AddUsers(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<UserCacheOptions>().BindConfiguration(UserCacheOptions.SectionName)
            .Validate(cache => cache.UsersTtlSeconds >= 1, "Cache:UsersTtlSeconds must be at least 1.")
            .Validate(cache => cache.UsersNotFoundTtlSeconds >= 1, "Cache:UsersNotFoundTtlSeconds must be at least 1.")
            .ValidateOnStart();
        builder.Services.AddSingleton<UserCache>();
        return builder;
    }
}
