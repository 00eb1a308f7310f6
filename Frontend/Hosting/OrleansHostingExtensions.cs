using Orleans.Configuration;
using Orleans.Dashboard;
using OrleansSlm.Frontend.Health;
using OrleansSlm.ServiceDefaults.Configuration;
using OrleansSlm.ServiceDefaults.Health;
using OrleansSlm.ServiceDefaults.Persistence;
using OrleansSlm.ServiceDefaults.Redis;

namespace OrleansSlm.Frontend.Hosting;

public static class OrleansHostingExtensions
{
    /// <summary>Hosts a silo in-process (<c>Embedded</c>) or joins the PostgreSQL cluster as a client (<c>Client</c>), with the matching readiness checks.</summary>
    public static WebApplicationBuilder AddOrleansForMode(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var options = configuration.GetOrleansOptions();
        builder.Services.AddOrleansOptions();
        builder.Services.AddOrleansSlmRedis(configuration);
        var health = builder.Services.AddProbes().AddRedisCheckWhenConfigured(configuration);

        switch (options.Mode)
        {
            case OrleansMode.Embedded:
#if EMBEDDED_SILO
                EmbeddedSiloHosting.AddEmbeddedSilo(builder, health);
                break;
#else
                throw new InvalidOperationException(
                    "Orleans:Mode is Embedded, but this frontend was built without a silo (-p:EmbeddedSilo=false): " +
                    "set Orleans:Mode to Client and ConnectionStrings:Postgres to join a cluster.");
#endif
            case OrleansMode.Client:
                var connectionString = configuration.GetRequiredPostgresConnectionString();
                builder.UseOrleansClient(client => client
                    .UseAdoNetClustering(clustering =>
                    {
                        clustering.Invariant = AdoNet.Invariant;
                        clustering.ConnectionString = connectionString;
                    })
                    .Configure<ClusterOptions>(cluster =>
                    {
                        cluster.ClusterId = options.ClusterId;
                        cluster.ServiceId = options.ServiceId;
                    })
                    // The dashboard's web side, reading the cluster through the dashboard grains that every silo runs.
                    .AddDashboard());
                builder.Services.AddSingleton<IClientConnectionRetryFilter>(services => new GatewayConnectRetryFilter(
                    TimeSpan.FromSeconds(options.ClientConnectTimeoutSeconds), services.GetRequiredService<ILogger<GatewayConnectRetryFilter>>()));
                health.AddPostgresCheck(connectionString)
                    .AddCheck<ClusterHealthCheck>("orleans", tags: [HealthTags.Ready]);
                break;
            default:
                throw new InvalidOperationException($"Orleans:Mode '{options.Mode}' is not supported; use Embedded or Client.");
        }

        return builder;
    }
}
