using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansSlm.ServiceDefaults.Redis;
using StackExchange.Redis;

namespace OrleansSlm.ServiceDefaults.Health;

public sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var database = await redis.GetDatabaseAsync();
            var latency = await database.PingAsync();
            return HealthCheckResult.Healthy($"Redis answered PING in {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Redis is unreachable: {exception.Message}");
        }
    }
}
