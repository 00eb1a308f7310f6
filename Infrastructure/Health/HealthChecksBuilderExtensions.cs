using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansSlm.Infrastructure.Configuration;
using OrleansSlm.Infrastructure.Redis;

namespace OrleansSlm.Infrastructure.Health;

public static class HealthChecksBuilderExtensions
{
    /// <summary>The liveness check: answering at all is the proof.</summary>
    public static IHealthChecksBuilder AddProcessCheck(this IHealthChecksBuilder builder) =>
        builder.AddCheck("process", () => HealthCheckResult.Healthy("the process is running"), [HealthTags.Live]);

    public static IHealthChecksBuilder AddPostgresCheck(this IHealthChecksBuilder builder, string connectionString) =>
        builder.Add(new HealthCheckRegistration("postgres", _ => new PostgresHealthCheck(connectionString), HealthStatus.Unhealthy, [HealthTags.Ready]));

    /// <summary>Adds the shared Redis connection and its readiness check when <c>ConnectionStrings:Redis</c> is set.</summary>
    public static IHealthChecksBuilder AddRedisCheckWhenConfigured(this IHealthChecksBuilder builder, IConfiguration configuration)
    {
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
