using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansSlm.ServiceDefaults.Configuration;

namespace OrleansSlm.ServiceDefaults.Redis;

public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RedisOptions"/> (every feature that keeps keys in Redis reads its prefix there) and, when
    /// <c>ConnectionStrings:Redis</c> is set, registers the one shared <see cref="RedisConnection"/>. Without it the
    /// features that use Redis run without it.
    /// </summary>
    public static IServiceCollection AddOrleansSlmRedis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName);
        var connectionString = configuration.GetConnectionString(ConnectionStringNames.Redis);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            services.AddSingleton(_ => new RedisConnection(connectionString));
        }

        return services;
    }
}
