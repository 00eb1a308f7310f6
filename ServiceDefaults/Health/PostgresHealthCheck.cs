using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace OrleansSlm.ServiceDefaults.Health;

/// <summary>
/// Runs a trivial query, so a reachable but broken server fails too, on a pool of its own (one connection, its own
/// application name) so the probe neither opens a connection per run nor waits behind Orleans' connections.
/// </summary>
public sealed class PostgresHealthCheck(string connectionString) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly string _probeConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Timeout = (int)Timeout.TotalSeconds,
        CommandTimeout = (int)Timeout.TotalSeconds,
        ApplicationName = "orleans-slm-readiness",
        MaxPoolSize = 1,
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
