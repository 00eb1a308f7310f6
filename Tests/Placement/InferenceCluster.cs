using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
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

    /// <summary>Waits until every silo's own membership view lists all of them as active, so each can place on any.</summary>
    public static async Task WaitUntilEverySiloSeesAllAsync(params ClusterSilo[] silos)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        bool Settled() => silos.All(silo => silo.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values
            .Count(member => member.Status == SiloStatus.Active) == silos.Length);
        while (!Settled() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(Settled(), $"the silos did not all see {silos.Length} active members within 30 s");
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
