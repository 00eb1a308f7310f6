using OrleansSlm.ServiceDefaults.Configuration;
using OrleansSlm.ServiceDefaults.Persistence;

namespace OrleansSlm.Silo.Commands;

/// <summary><c>migrate</c>: applies the Orleans schema to <c>ConnectionStrings:Postgres</c> and exits.</summary>
internal static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILogger<OrleansSchema>>();
        try
        {
            var schema = new OrleansSchema(builder.Configuration.GetRequiredPostgresConnectionString(), logger);
            await schema.ApplyAsync();
            return 0;
        }
        catch (Exception exception) when (exception is InvalidOperationException or Npgsql.NpgsqlException)
        {
            logger.LogError("Migration failed: {Message}", exception.Message);
            return 1;
        }
    }
}
