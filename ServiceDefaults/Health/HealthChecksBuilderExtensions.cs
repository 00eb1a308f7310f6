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
    /// Adds Redis's readiness check when <c>ConnectionStrings:Redis</c> is set, on the connection that
    /// <see cref="RedisServiceCollectionExtensions.AddOrleansSlmRedis"/> registers.
    /// </summary>
    public static IHealthChecksBuilder AddRedisCheckWhenConfigured(this IHealthChecksBuilder builder, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringNames.Redis)))
        {
            return builder;
        }

        return builder.Add(new HealthCheckRegistration(
            "redis", services => new RedisHealthCheck(services.GetRequiredService<RedisConnection>()), HealthStatus.Unhealthy, [HealthTags.Ready]));
    }
}
