using Microsoft.Extensions.Configuration;

namespace OrleansSlm.Infrastructure.Configuration;

public static class ConfigurationExtensions
{
    public static OrleansOptions GetOrleansOptions(this IConfiguration configuration) =>
        configuration.GetSection(OrleansOptions.SectionName).Get<OrleansOptions>() ?? new OrleansOptions();

    public static ModelOptions GetModelOptions(this IConfiguration configuration) =>
        configuration.GetSection(ModelOptions.SectionName).Get<ModelOptions>() ?? new ModelOptions();

    /// <summary>The PostgreSQL connection string, or a start-up error that says which key is missing.</summary>
    public static string GetRequiredPostgresConnectionString(this IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringNames.Postgres);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "ConnectionStrings:Postgres is not set (environment variable ConnectionStrings__Postgres). " +
                "Cluster mode keeps membership and grain state in PostgreSQL.");
        }

        return connectionString;
    }
}
