using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrleansSlm.ServiceDefaults.Persistence;

/// <summary>
/// Applies the project's SQL for the Orleans ADO.NET providers. Safe to run any number of times and from
/// several processes at once: the script is idempotent and runs under a transaction-scoped advisory lock.
/// </summary>
public sealed class OrleansSchema(string connectionString, ILogger<OrleansSchema> logger)
{
    /// <summary>An arbitrary constant that names the schema lock for every process of the service.</summary>
    private const long AdvisoryLockKey = 0x4F726C65616E73; // "Orleans"

    /// <summary>The query keys the clustering provider reads from <c>orleansquery</c>.</summary>
    public static readonly IReadOnlyList<string> ClusteringQueryKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
    ];

    /// <summary>The query keys the grain storage provider reads from <c>orleansquery</c>.</summary>
    public static readonly IReadOnlyList<string> StorageQueryKeys = ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey"];

    public async Task ApplyAsync(CancellationToken cancellationToken = default)
    {
        var script = await ReadScriptAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var schemaCommand = new NpgsqlCommand(script, connection, transaction))
        {
            await schemaCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Orleans schema is in place on database {Database}", connection.Database);
    }

    private static async Task<string> ReadScriptAsync(CancellationToken cancellationToken)
    {
        const string resourceName = "OrleansSlm.Sql.orleans-postgres.sql";
        await using var stream = typeof(OrleansSchema).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The embedded resource {resourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
