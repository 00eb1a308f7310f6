using System.Net;
using OrleansSlm.ServiceDefaults.Health;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Cluster;

/// <summary>The Silo program as a process: the operator's <c>migrate</c> command and a running silo's probes.</summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class SiloProgramTests
{
    [Fact]
    public async Task Migrate_applies_the_schema_to_the_configured_database_and_exits_0()
    {
        await using var database = await PostgresDatabase.CreateAsync();

        var (exitCode, output) = await SiloProcess.RunAsync(["migrate"], new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = database.ConnectionString });

        Assert.True(exitCode == 0, output);
        Assert.Equal(12L, await database.ScalarAsync<long>("SELECT count(*) FROM orleansquery"));
    }

    [Fact]
    public async Task Migrate_without_a_connection_string_exits_1_and_names_the_missing_setting()
    {
        var (exitCode, output) = await SiloProcess.RunAsync(["migrate"], new Dictionary<string, string>());

        Assert.Equal(1, exitCode);
        Assert.Contains("ConnectionStrings:Postgres", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubernetes_hosting_outside_a_pod_exits_1_and_names_the_missing_downward_api_variables()
    {
        var (exitCode, output) = await SiloProcess.RunAsync([], new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=postgres",
            ["Orleans__Kubernetes"] = "true",
            ["POD_NAME"] = "",
            ["POD_NAMESPACE"] = "",
            ["POD_IP"] = "",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("POD_NAME, POD_NAMESPACE, POD_IP is not set", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_process_creates_the_schema_joins_its_cluster_and_answers_its_probes()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var httpPort = FreePort.Next();
        await using var silo = SiloProcess.Start([], new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
            ["Orleans__ClusterId"] = "silo-process",
            ["Orleans__SiloPort"] = FreePort.Next().ToString(),
            ["Orleans__GatewayPort"] = FreePort.Next().ToString(),
            ["Orleans__AdvertisedIPAddress"] = "127.0.0.1",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };

        var ready = await ProbeResponse.WaitForProcessReadyAsync(http, TimeSpan.FromSeconds(60));

        Assert.True(ready is { StatusCode: HttpStatusCode.OK }, silo.Output);
        Assert.Equal(["postgres", "silo"], (await ProbeResponse.GetAsync(http, ProbeEndpoints.DetailsPath)).Checks.Order());
        Assert.Equal(HttpStatusCode.OK, (await ProbeResponse.GetAsync(http, "/healthz")).StatusCode);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM orleansmembershiptable WHERE status = 3"));
    }
}
