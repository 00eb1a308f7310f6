using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.MembershipService.SiloMetadata;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.ModelStore;
using OrleansSlm.Engine.Sampling;
using OrleansSlm.Grains.Inference;
using OrleansSlm.Grains.Placement;
using OrleansSlm.ServiceDefaults.Configuration;
using OrleansSlm.ServiceDefaults.Persistence;

namespace OrleansSlm.Grains.Hosting;

public static class OrleansSlmSiloBuilderExtensions
{
    /// <summary>A silo of a real cluster: membership and grain state in PostgreSQL, schema applied at start.</summary>
    public static ISiloBuilder UseOrleansSlmCluster(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetOrleansOptions();
        var connectionString = configuration.GetRequiredPostgresConnectionString();

        silo.Services.AddSingleton(services => new OrleansSchema(connectionString, services.GetRequiredService<ILogger<OrleansSchema>>()));
        silo.Services.AddHostedService<SchemaBootstrapService>();

        silo.UseAdoNetClustering(clustering =>
        {
            clustering.Invariant = AdoNet.Invariant;
            clustering.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorageAsDefault(storage =>
        {
            storage.Invariant = AdoNet.Invariant;
            storage.ConnectionString = connectionString;
        });
        silo.ConfigureEndpoints(AdvertisedAddress(options), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
        return silo.UseOrleansSlmCommon(configuration, options);
    }

    /// <summary>A single co-hosted silo with localhost clustering and in-memory state: nothing to install.</summary>
    public static ISiloBuilder UseOrleansSlmEmbedded(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetOrleansOptions();
        silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        silo.AddMemoryGrainStorageAsDefault();
        return silo.UseOrleansSlmCommon(configuration, options);
    }

    private static ISiloBuilder UseOrleansSlmCommon(this ISiloBuilder silo, IConfiguration configuration, OrleansOptions options)
    {
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddOrleansOptions();
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        // The role is always published, so placement never has to guess what a silo without one serves.
        var metadata = new Dictionary<string, string>(options.Metadata, StringComparer.OrdinalIgnoreCase)
        {
            [SiloRoles.MetadataKey] = SiloRoles.Of(options.Metadata),
        };
        silo.UseSiloMetadata(metadata);
        // The default directory loses entries while a silo leaves, breaking streams on the silos that stay
        // (docs/architecture.md, "Grain directory"); this one hands its partitions over during the shutdown.
#pragma warning disable ORLEANSEXP003
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        silo.AddInference();
        // Every silo runs the dashboard's grains, so any web host (a silo's, or a frontend's client) can show the whole cluster.
        silo.AddDashboard();
        return silo;
    }

    /// <summary>
    /// The model host (loads the model while the silo starts when its role serves inference) and the placement that
    /// keeps inference grains on inference silos.
    /// </summary>
    private static void AddInference(this ISiloBuilder silo)
    {
        silo.Services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.SectionName).ValidateOnStart();
        silo.Services.AddSingleton<IValidateOptions<ModelOptions>, ModelOptionsValidator>();
        silo.Services.TryAddSingleton(services => new ModelStore(
            services.GetRequiredService<IOptions<ModelOptions>>().Value, new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, services.GetRequiredService<ILogger<ModelStore>>()));
        silo.Services.TryAddSingleton<IModelSource, StoreModelSource>();
        silo.Services.TryAddSingleton<ITokenSamplerFactory>(SamplerFactory.Instance);
        silo.Services.AddSingleton<InferenceHost>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<InferenceHost>());
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, InferenceDashboardCounters>();
        silo.AddPlacementDirector<InferencePlacementStrategy, InferencePlacementDirector>();
        silo.AddPlacementDirector<SiloPinnedPlacementStrategy, SiloPinnedPlacementDirector>();
    }

    private static IPAddress AdvertisedAddress(OrleansOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.AdvertisedIPAddress))
        {
            return FirstUsableAddress();
        }

        return IPAddress.TryParse(options.AdvertisedIPAddress, out var address)
            ? address
            : throw new InvalidOperationException($"Orleans:AdvertisedIPAddress '{options.AdvertisedIPAddress}' is not an IP address.");
    }

    private static IPAddress FirstUsableAddress()
    {
        var addresses = Dns.GetHostAddresses(Dns.GetHostName())
            .Where(address => address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            .ToList();
        return addresses.FirstOrDefault(address => !IPAddress.IsLoopback(address)) ?? addresses.FirstOrDefault() ?? IPAddress.Loopback;
    }
}
