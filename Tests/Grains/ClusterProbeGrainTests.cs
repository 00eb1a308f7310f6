using OrleansSlm.GrainsInterfaces.Diagnostics;

namespace OrleansSlm.Tests.Grains;

[Collection(TestClusterCollection.Name)]
public sealed class ClusterProbeGrainTests(TestClusterFixture fixture)
{
    [Fact]
    public async Task The_probe_names_an_active_silo_of_the_cluster()
    {
        var description = await fixture.Cluster.Client.GetGrain<IClusterProbeGrain>(0).DescribeAsync();

        var activeSilos = fixture.Cluster.GetActiveSilos().Select(silo => silo.SiloAddress.ToString());
        Assert.Contains(description.SiloAddress, activeSilos);
    }
}
