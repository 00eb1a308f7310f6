using System.Net;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Observability;

/// <summary>The Silo program's own web host serves <c>/metrics</c> and <c>/dashboard</c> beside its probes.</summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class SiloObservabilityTests
{
    [Fact]
    public async Task A_silo_process_serves_metrics_and_the_dashboard_on_its_web_port()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var httpPort = FreePort.Next();
        await using var silo = SiloProcess.Start([], new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
            ["Orleans__ClusterId"] = "silo-observability",
            ["Orleans__SiloPort"] = FreePort.Next().ToString(),
            ["Orleans__GatewayPort"] = FreePort.Next().ToString(),
            ["Orleans__AdvertisedIPAddress"] = "127.0.0.1",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        Assert.True(await ProbeResponse.WaitForProcessReadyAsync(http, TimeSpan.FromSeconds(60)) is not null, silo.Output);

        var scrape = await PrometheusScrape.GetAsync(http);
        using var page = await http.GetAsync("/dashboard/");
        var hosts = await DashboardHosts.WaitForAsync(http, TimeSpan.FromSeconds(30));

        Assert.NotEmpty(scrape.Find("http_server_request_duration_seconds_count", ("http_route", "/readyz"), ("http_response_status_code", "200")));
        Assert.Contains(scrape.Samples, sample => sample.Name == "orleans_catalog_activations");
        Assert.Contains(scrape.Samples, sample => sample.Name == "target_info" && sample.Labels["service_name"] == "OrleansSlm.Silo");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["Active"], hosts);
    }
}
