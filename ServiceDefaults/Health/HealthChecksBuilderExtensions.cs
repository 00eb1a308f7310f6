using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansSlm.ServiceDefaults.Configuration;
using OrleansSlm.ServiceDefaults.Redis;

namespace OrleansSlm.ServiceDefaults.Health;

public static class HealthChecksBuilderExtensions
{
    /// <summary>
    /// Registers the probes' parts: the liveness check (answering at all is the proof) and the background
    /// <see cref="ReadinessMonitor"/> that <see cref="ProbeEndpoints.MapProbes"/> answers from. Readiness checks are
    /// added to the returned builder with the <see cref="HealthTags.Ready"/> tag.
    /// </summary>
    public static IHealthChecksBuilder AddProbes(this IServiceCollection services)
    {
        services.AddOptions<ProbeOptions>().BindConfiguration(ProbeOptions.SectionName)
            .Validate(probes => probes.ReadyRefreshSeconds is >= 1 and <= 60, "Probes:ReadyRefreshSeconds must be from 1 to 60.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ReadinessMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<ReadinessMonitor>());
        return services.AddHealthChecks().AddCheck("process", () => HealthCheckResult.Healthy("the process is running"), [HealthTags.Live]);
    }

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
