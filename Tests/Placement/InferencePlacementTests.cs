using Microsoft.Extensions.DependencyInjection;
using Orleans;
using OrleansSlm.Grains.Inference;
using OrleansSlm.GrainsInterfaces.Inference;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Placement;

/// <summary>Inference grains on a real PostgreSQL cluster with silos of different roles.</summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class InferencePlacementTests
{
    private static readonly ChatRequest TenTokens = new(
        TestModel.Id, [new ChatTurn("user", "hi")], 10, new GrainsInterfaces.Inference.Sampling(Temperature: 0), [], IgnoreEos: true, DefaultMaxTokens: 10);

    [Fact]
    public async Task Inference_grains_land_only_on_inference_silos_and_gpu_silos_first()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var clusterId = NewClusterId();
        await using var frontendRole = await ClusterSilo.StartAsync(database.ConnectionString, clusterId, role: "frontend");
        await using var cpu = await ClusterSilo.StartAsync(database.ConnectionString, clusterId, role: "cpu");
        // More slots than the twelve requests: every placement finds the GPU silo with capacity, however fast they come.
        var gpuSettings = ClusterSilo.ClusterConfiguration(database.ConnectionString, clusterId, role: "gpu");
        gpuSettings["Model:MaxBatch"] = "16";
        await using var gpu = await ClusterSilo.StartAsync(gpuSettings);
        await using var client = await ClusterClient.ConnectAsync(database.ConnectionString, clusterId);
        await ClusterMembership.WaitUntilEverySiloSeesAllAsync(frontendRole, cpu, gpu);
        for (var i = 0; i < 3; i++)
        {
            // Warm-up, not counted: the first placements activate the silos' load reports.
            await client.Client.GetGrain<IInferenceGrain>(Guid.NewGuid()).DescribeAsync();
        }

        var cards = new List<ModelCard>();
        for (var i = 0; i < 12; i++)
        {
            cards.Add(await client.Client.GetGrain<IInferenceGrain>(Guid.NewGuid()).DescribeAsync());
        }

        Assert.Null(frontendRole.Services.GetRequiredService<InferenceHost>().Scheduler);
        Assert.All(cards, card => Assert.Equal("gpu", card.Role));
        Assert.All(cards, card => Assert.Equal(gpu.Services.GetRequiredService<InferenceHost>().SiloAddress, card.Silo));
    }

    [Fact]
    public async Task A_cluster_without_an_inference_silo_refuses_inference_with_a_clear_reason()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var clusterId = NewClusterId();
        await using var frontendRole = await ClusterSilo.StartAsync(database.ConnectionString, clusterId, role: "frontend");
        await using var client = await ClusterClient.ConnectAsync(database.ConnectionString, clusterId);

        var error = await Assert.ThrowsAsync<InferenceRejectedException>(() => client.Client.GetGrain<IInferenceGrain>(Guid.NewGuid()).DescribeAsync());

        Assert.Equal(InferenceRejection.Unavailable, error.Reason);
        Assert.Contains("role", error.Message);
    }

    [Fact]
    public async Task Killing_a_silo_under_load_ends_its_streams_promptly_and_new_requests_succeed()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var clusterId = NewClusterId();
        var engine = SwappedDecoderModelSource.FakeFixedLatency(TimeSpan.FromMilliseconds(20));
        await using var survivor = await ClusterSilo.StartAsync(InferenceCluster.Settings(database, clusterId, slots: 4), engine);
        await using var victim = await ClusterSilo.StartAsync(InferenceCluster.Settings(database, clusterId, slots: 4), engine);
        await using var client = await ClusterClient.ConnectAsync(database.ConnectionString, clusterId);
        await InferenceCluster.WaitUntilServingAsync(client.Client, 2);
        var longRequest = TenTokens with { MaxTokens = 150 };

        var streams = Enumerable.Range(0, 8).Select(_ => DrainAsync(client.Client.GetGrain<IInferenceGrain>(Guid.NewGuid()).StreamAsync(longRequest, CancellationToken.None))).ToList();
        await victim.WaitUntilRunningAsync(TimeSpan.FromSeconds(10));
        await victim.KillAsync();

        // A call lost with the killed silo's gateway ends at the client's response timeout (10 s in these tests).
        var outcomes = await Task.WhenAll(streams.Select(stream => Outcome(stream, TimeSpan.FromSeconds(30))));
        // Streams on the killed silo fail; so may streams on the survivor whose calls went through the killed silo's
        // gateway. None may hang. (Through the frontend, streams end within Chat:StallTimeoutSeconds: SiloFailureChatTests.)
        Assert.DoesNotContain("hung", outcomes);
        Assert.Contains("failed", outcomes);
        var after = await client.Client.GetGrain<IInferenceGrain>(Guid.NewGuid()).LastChunkAsync(TenTokens);
        Assert.Equal(10, after.CompletionTokens);
    }

    private static async Task<int> DrainAsync(IAsyncEnumerable<CompletionChunk> stream)
    {
        var chunks = 0;
        await foreach (var _ in stream)
        {
            chunks++;
        }

        return chunks;
    }

    private static async Task<string> Outcome(Task<int> stream, TimeSpan patience)
    {
        if (await Task.WhenAny(stream, Task.Delay(patience)) != stream)
        {
            return "hung";
        }

        return stream.IsCompletedSuccessfully ? "completed" : "failed";
    }

    private static string NewClusterId() => $"placement-{Guid.NewGuid():N}";
}
