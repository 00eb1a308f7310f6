using Orleans;
using Orleans.Runtime;
using OrleansSlm.GrainsInterfaces.Users;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Cluster;

/// <summary>Silos that find each other through the ADO.NET membership table on a real PostgreSQL.</summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class PostgresClusterTests
{
    [Fact]
    public async Task Two_silos_and_a_client_form_a_cluster_and_each_silo_serves_grain_calls()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var clusterId = NewClusterId();
        await using var first = await ClusterSilo.StartAsync(database.ConnectionString, clusterId);
        await using var second = await ClusterSilo.StartAsync(database.ConnectionString, clusterId);
        await using var client = await ClusterClient.ConnectAsync(database.ConnectionString, clusterId);
        await ClusterMembership.WaitUntilEverySiloSeesAllAsync(first, second);

        var management = client.Client.GetGrain<IManagementGrain>(0);
        Assert.Equal(2, (await management.GetHosts(onlyActive: true)).Count);

        // User grains are placed at random, so two dozen of them land on both silos.
        for (var id = 1; id <= 24; id++)
        {
            var profile = await client.Client.GetGrain<IUserGrain>(id).CreateAsync($"user {id}", $"user{id}@example.com");
            Assert.Equal(id, profile.Id);
        }

        var activations = await management.GetDetailedGrainStatistics();
        var silosHostingUsers = activations.Where(a => a.GrainType.Contains("UserGrain", StringComparison.Ordinal)).Select(a => a.SiloAddress).Distinct().Count();
        Assert.Equal(2, silosHostingUsers);
    }

    [Fact]
    public async Task State_written_through_one_cluster_is_read_back_after_every_silo_restarts()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var clusterId = NewClusterId();
        UserProfile written;
        await using (var first = await ClusterSilo.StartAsync(database.ConnectionString, clusterId))
        await using (var second = await ClusterSilo.StartAsync(database.ConnectionString, clusterId))
        await using (var client = await ClusterClient.ConnectAsync(database.ConnectionString, clusterId))
        {
            written = await client.Client.GetGrain<IUserGrain>(42).CreateAsync("Ada", "ada@example.com");
        }

        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM orleansstorage WHERE payloadbinary IS NOT NULL"));

        await using var restarted = await ClusterSilo.StartAsync(database.ConnectionString, clusterId);
        await using var newClient = await ClusterClient.ConnectAsync(database.ConnectionString, clusterId);
        var read = await newClient.Client.GetGrain<IUserGrain>(42).GetAsync();

        Assert.Equal(written, read);
        await Assert.ThrowsAsync<UserAlreadyExistsException>(() => newClient.Client.GetGrain<IUserGrain>(42).CreateAsync("Eve", "eve@example.com"));
    }

    [Fact]
    public async Task Two_silos_started_together_on_an_empty_database_both_join()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var clusterId = NewClusterId();
        await using var first = ClusterSilo.Create(ClusterSilo.ClusterConfiguration(database.ConnectionString, clusterId));
        await using var second = ClusterSilo.Create(ClusterSilo.ClusterConfiguration(database.ConnectionString, clusterId));

        await Task.WhenAll(Task.Run(first.StartAsync), Task.Run(second.StartAsync));

        await using var client = await ClusterClient.ConnectAsync(database.ConnectionString, clusterId);
        await ClusterMembership.WaitUntilEverySiloSeesAllAsync(first, second);
        Assert.Equal(2, (await client.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count);
    }

    private static string NewClusterId() => $"cluster-{Guid.NewGuid():N}";
}
