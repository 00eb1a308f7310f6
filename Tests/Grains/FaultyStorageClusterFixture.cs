using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Grains;

/// <summary>
/// An in-process cluster of two silos whose default storage is memory behind <see cref="StorageFaults"/> for the
/// users' states. Silo-to-silo calls time out after <see cref="CallTimeout"/>, so a test can slow a write past it;
/// the test client waits longer, to see how the directory's call ends.
/// </summary>
public sealed class FaultyStorageClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    public StorageFaults Faults { get; } = new("users", "user");

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorageAsDefault();
            silo.Services.AddStorageFaults(Faults);
            silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = CallTimeout);
        });
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(30)));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class FaultyStorageCollection : ICollectionFixture<FaultyStorageClusterFixture>
{
    public const string Name = "faulty storage cluster";
}
