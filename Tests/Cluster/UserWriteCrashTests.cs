using Npgsql;
using OrleansSlm.GrainsInterfaces.Users;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Cluster;

/// <summary>
/// User writes on real PostgreSQL storage, broken mid-write: the silo killed while a write is held at one of its
/// storage writes, or PostgreSQL stopped under it. Afterwards the users are in the old state or the new one.
/// </summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class UserWriteCrashTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Kill points: the write, the storage write it is held at (0 the index, 1 the user grain, 2 the index's outcome), and whether it took effect.</summary>
    public static TheoryData<UserWrite, int, WriteFaultTiming, bool> KillPoints => new()
    {
        { UserWrite.Create, 1, WriteFaultTiming.BeforeStorage, false },
        { UserWrite.Create, 1, WriteFaultTiming.AfterStorage, true },
        { UserWrite.Create, 2, WriteFaultTiming.BeforeStorage, true },
        { UserWrite.ChangeEmail, 1, WriteFaultTiming.AfterStorage, true },
    };

    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task A_silo_killed_mid_write_restarts_into_the_old_state_or_the_new_one(UserWrite write, int heldWrite, WriteFaultTiming timing, bool takesEffect)
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var faults = new StorageFaults("users", "user");
        var clusterId = NewClusterId();
        await using var silo = await ClusterSilo.StartAsync(ClusterSilo.ClusterConfiguration(database.ConnectionString, clusterId), storageFaults: faults);
        UserWriteScene scene;
        await using (var client = await ClusterClient.ConnectAsync(database.ConnectionString, clusterId))
        {
            scene = await UserWriteScene.StartAsync(client.Client, write);
            var hold = faults.Hold(heldWrite, timing);
            // The caller's answer goes with the silo: only the restarted cluster's state counts.
            _ = scene.TryRunAsync(client.Client);
            await hold.Reached.WaitAsync(Patience);

            await silo.KillAsync();
            faults.Die();
        }

        // A new cluster id, so the dead silo's membership row does not hold the new silo up until it is declared dead;
        // grain state is keyed by the service id, which stays.
        var restartedId = NewClusterId();
        await using var restarted = await ClusterSilo.StartAsync(database.ConnectionString, restartedId);
        await using var restartedClient = await ClusterClient.ConnectAsync(database.ConnectionString, restartedId);
        await scene.AssertStateAsync(restartedClient.Client, takesEffect);
        await scene.AssertEmailsAsync(restartedClient.Client, takesEffect);
    }

    /// <summary>Stop points: the storage write held while PostgreSQL stops, and whether the write took effect.</summary>
    public static TheoryData<UserWrite, int, bool> StopPoints => new()
    {
        { UserWrite.Create, 1, false },
        { UserWrite.Create, 2, true },
        { UserWrite.Delete, 0, false },
    };

    [Theory]
    [MemberData(nameof(StopPoints))]
    public async Task A_write_that_meets_a_stopped_postgres_fails_or_succeeds_whole_and_settles_when_it_returns(UserWrite write, int heldWrite, bool takesEffect)
    {
        await using var postgres = await PostgresServer.StartNewAsync();
        var clusterId = NewClusterId();
        var faults = new StorageFaults("users", "user");
        await using var silo = await ClusterSilo.StartAsync(ClusterSilo.ClusterConfiguration(postgres.ConnectionString, clusterId), storageFaults: faults);
        await using var client = await ClusterClient.ConnectAsync(postgres.ConnectionString, clusterId);
        var scene = await UserWriteScene.StartAsync(client.Client, write);
        var hold = faults.Hold(heldWrite, WriteFaultTiming.BeforeStorage);
        var running = scene.TryRunAsync(client.Client);
        await hold.Reached.WaitAsync(Patience);

        await postgres.StopAsync();
        hold.Release();
        var (result, error) = await running.WaitAsync(Patience);
        await postgres.StartAsync();
        // Each pooled connection to the stopped server would fail once on its next use; that is not the subject here.
        NpgsqlConnection.ClearAllPools();

        if (takesEffect)
        {
            Assert.Null(error);
            Assert.Equal(UserWriteStatus.Done, result!.Status);
        }
        else
        {
            Assert.NotNull(error);
        }

        await scene.AssertStateAsync(client.Client, takesEffect);
        await scene.AssertEmailsAsync(client.Client, takesEffect);
    }

    private static string NewClusterId() => $"users-crash-{Guid.NewGuid():N}";
}
