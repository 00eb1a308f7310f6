using System.Net;
using System.Net.Http.Json;
using OrleansSlm.Frontend.Endpoints;
using OrleansSlm.ServiceDefaults.Health;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Http;

/// <summary>The frontend as an Orleans client of a silo, both on a private PostgreSQL server that the tests stop and start.</summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class ClientModeProbeTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private PostgresServer _postgres = null!;
    private ClusterSilo _silo = null!;
    private FrontendFactory _frontend = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartNewAsync();
        const string clusterId = "client-mode-probes";
        _silo = await ClusterSilo.StartAsync(_postgres.ConnectionString, clusterId);
        _frontend = FrontendFactory.Client(_postgres.ConnectionString, clusterId, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
        });
    }

    public async Task DisposeAsync()
    {
        await _frontend.DisposeAsync();
        await _silo.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Root_and_probes_answer_200_when_the_cluster_postgres_and_redis_are_up()
    {
        var client = _frontend.CreateClient();

        var description = await client.GetFromJsonAsync<ServiceDescription>("/");
        var live = await ProbeResponse.GetAsync(client, "/healthz");
        var ready = await ProbeResponse.WaitForAsync(client, "/readyz", HttpStatusCode.OK, Patience);
        var details = await ProbeResponse.GetAsync(client, ProbeEndpoints.DetailsPath);

        Assert.Equal("Client", description!.Mode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(["inference", "orleans", "postgres", "redis"], details.Checks.Order());
    }

    [Fact]
    public async Task Readiness_turns_503_naming_postgres_while_it_is_stopped_and_200_when_it_returns()
    {
        var client = _frontend.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ProbeResponse.WaitForAsync(client, "/readyz", HttpStatusCode.OK, Patience)).StatusCode);

        await _postgres.StopAsync();
        var whileStopped = await ProbeResponse.WaitForFailedAsync(client, "/readyz", ["postgres"], Patience);
        var liveWhileStopped = await ProbeResponse.GetAsync(client, "/healthz");
        await _postgres.StartAsync();
        var afterRestart = await ProbeResponse.WaitForAsync(client, "/readyz", HttpStatusCode.OK, Patience);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileStopped.StatusCode);
        Assert.Equal(["postgres"], whileStopped.Failed);
        Assert.Equal(HttpStatusCode.OK, liveWhileStopped.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterRestart.StatusCode);
    }
}
