using Orleans;
using OrleansSlm.GrainsInterfaces.Inference;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Placement;

/// <summary>Set-up shared by the tests that run inference silos on a real PostgreSQL cluster.</summary>
public static class InferenceCluster
{
    public static Dictionary<string, string?> Settings(PostgresDatabase database, string clusterId, int slots)
    {
        var settings = ClusterSilo.ClusterConfiguration(database.ConnectionString, clusterId);
        settings["Model:MaxBatch"] = slots.ToString();
        return settings;
    }

    /// <summary>Waits until placement has put inference grains on <paramref name="silos"/> different silos.</summary>
    public static async Task WaitUntilServingAsync(IClusterClient client, int silos)
    {
        var seen = new HashSet<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < silos && DateTime.UtcNow < deadline)
        {
            seen.Add((await client.GetGrain<IInferenceGrain>(Guid.NewGuid()).DescribeAsync()).Silo);
        }

        Assert.Equal(silos, seen.Count);
    }
}
