using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansSlm.ServiceDefaults.Configuration;
using OrleansSlm.ServiceDefaults.Redis;

namespace OrleansSlm.ServiceDefaults.Health;

public static class HealthChecksBuilderExtensions
{
    /// <summary>The liveness check: answering at all is the proof.</summary>
    public static IHealthChecksBuilder AddProcessCheck(this IHealthChecksBuilder builder) =>
        builder.AddCheck("process", () => HealthCheckResult.Healthy("the process is running"), [HealthTags.Live]);

    public static IHealthChecksBuilder AddPostgresCheck(this IHealthChecksBuilder builder, string connectionString) =>
        builder.Add(new HealthCheckRegistration("postgres", _ => new PostgresHealthCheck(connectionString), HealthStatus.Unhealthy, [HealthTags.Ready]));

    /// <summary>
    /// Binds <see cref="RedisOptions"/>, and adds the shared Redis connection and its readiness check when
    /// <c>ConnectionStrings:Redis</c> is set.
    /// </summary>
    public static IHealthChecksBuilder AddRedisCheckWhenConfigured(this IHealthChecksBuilder builder, IConfiguration configuration)
    {
        builder.Services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName);
        var connectionString = configuration.GetConnectionString(ConnectionStringNames.Redis);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return builder;
        }

        builder.Services.AddSingleton(_ => new RedisConnection(connectionString));
        return builder.Add(new HealthCheckRegistration(
            "redis", services => new RedisHealthCheck(services.GetRequiredService<RedisConnection>()), HealthStatus.Unhealthy, [HealthTags.Ready]));
    }
}
