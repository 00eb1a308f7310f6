using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace OrleansSlm.ServiceDefaults.Health;

/// <summary>Opens a connection and runs a trivial query, so a reachable but broken server fails too.</summary>
public sealed class PostgresHealthCheck(string connectionString) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly string _probeConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Timeout = (int)Timeout.TotalSeconds,
        CommandTimeout = (int)Timeout.TotalSeconds,
        Pooling = false,
    }.ConnectionString;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_probeConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers queries");
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL is unreachable: {exception.Message}");
        }
    }
}
