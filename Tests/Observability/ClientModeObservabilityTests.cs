using System.Net;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Observability;

/// <summary>A <c>Client</c>-mode frontend's <c>/metrics</c> and <c>/dashboard</c>, against a silo on PostgreSQL.</summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class ClientModeObservabilityTests : IAsyncLifetime
{
    private const string ClusterId = "client-mode-observability";
    private PostgresDatabase _database = null!;
    private ClusterSilo _silo = null!;
    private FrontendFactory _frontend = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _silo = await ClusterSilo.StartAsync(_database.ConnectionString, ClusterId, role: "cpu");
        _frontend = FrontendFactory.Client(_database.ConnectionString, ClusterId);
    }

    public async Task DisposeAsync()
    {
        await _frontend.DisposeAsync();
        await _silo.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_dashboard_shows_the_cluster_through_the_frontends_orleans_client()
    {
        var client = _frontend.CreateClient();

        using var page = await client.GetAsync("/dashboard/");
        var hosts = await DashboardHosts.WaitForAsync(client, TimeSpan.FromSeconds(30));
        using var clusterStats = await client.GetAsync("/dashboard/ClusterStats");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["Active"], hosts);
        Assert.Equal(HttpStatusCode.OK, clusterStats.StatusCode);
    }

    [Fact]
    public async Task Metrics_report_the_frontends_requests_and_the_gateways_its_orleans_client_holds()
    {
        var client = _frontend.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/users")).StatusCode);

        var scrape = await PrometheusScrape.WaitForAsync(client, scrape =>
            scrape.Find("http_server_request_duration_seconds_count", ("http_route", "/users/"), ("http_response_status_code", "200")).Count > 0);

        Assert.NotEmpty(scrape.Find("http_server_request_duration_seconds_count", ("http_route", "/users/"), ("http_response_status_code", "200")));
        Assert.Contains(scrape.Samples, sample => sample.Name == "orleans_client_connected_gateways" && sample.Value >= 1);
    }
}
