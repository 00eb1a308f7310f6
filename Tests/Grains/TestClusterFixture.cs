using Orleans.Hosting;
using Orleans.TestingHost;

namespace OrleansSlm.Tests.Grains;

/// <summary>One in-process test cluster of two silos, shared by the grain tests.</summary>
public sealed class TestClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorageAsDefault());
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class TestClusterCollection : ICollectionFixture<TestClusterFixture>
{
    public const string Name = "test cluster";
}
