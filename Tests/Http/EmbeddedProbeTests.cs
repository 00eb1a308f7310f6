using System.Net;
using System.Net.Http.Json;
using OrleansSlm.Frontend.Endpoints;
using OrleansSlm.ServiceDefaults.Health;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Http;

[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class EmbeddedProbeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Root_describes_the_running_service_in_embedded_mode()
    {
        await using var frontend = FrontendFactory.Embedded();
        var client = frontend.CreateClient();

        var description = await client.GetFromJsonAsync<ServiceDescription>("/");

        Assert.NotNull(description);
        Assert.Equal(("OrleansSlm", "running", "0.1.0", "Embedded"), (description.Service, description.Status, description.Version, description.Mode));
        Assert.Equal([TestModel.Id], description.Models);
    }

    [Fact]
    public async Task Liveness_and_readiness_answer_200_when_the_co_hosted_silo_is_active()
    {
        await using var frontend = FrontendFactory.Embedded();
        var client = frontend.CreateClient();

        var live = await ProbeResponse.GetAsync(client, "/healthz");
        var ready = await ProbeResponse.WaitForAsync(client, "/readyz", HttpStatusCode.OK, Patience);
        var details = await ProbeResponse.GetAsync(client, ProbeEndpoints.DetailsPath);

        Assert.Equal((HttpStatusCode.OK, "healthy", 0), (live.StatusCode, live.Status, live.Failed.Count));
        Assert.Equal((HttpStatusCode.OK, "healthy"), (ready.StatusCode, ready.Status));
        Assert.Equal(["inference", "silo"], details.Checks.Order());
    }

    [Fact]
    public async Task Readiness_checks_a_configured_redis_and_passes_when_it_answers()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString });
        var client = frontend.CreateClient();

        var ready = await ProbeResponse.WaitForAsync(client, "/readyz", HttpStatusCode.OK, Patience);
        var details = await ProbeResponse.GetAsync(client, ProbeEndpoints.DetailsPath);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("redis", details.Checks);
    }

    [Fact]
    public async Task Readiness_answers_503_naming_redis_when_the_configured_redis_is_down_while_liveness_stays_200()
    {
        var nobodyListens = $"127.0.0.1:{FreePort.Next()}";
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = nobodyListens });
        var client = frontend.CreateClient();

        var ready = await ProbeResponse.WaitForFailedAsync(client, "/readyz", ["redis"], Patience);
        var live = await ProbeResponse.GetAsync(client, "/healthz");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "unhealthy"), (ready.StatusCode, ready.Status));
        Assert.Equal(["redis"], ready.Failed);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
