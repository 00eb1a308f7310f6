using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Observability;

/// <summary><c>GET /metrics</c> on the embedded frontend.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_count_and_time_requests_per_route_and_status_code_in_prometheus_text()
    {
        await using var frontend = FrontendFactory.Embedded();
        var client = frontend.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/users")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/users/404")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/users/405")).StatusCode);

        var scrape = await PrometheusScrape.WaitForAsync(client, scrape =>
            scrape.Find("http_server_request_duration_seconds_count", ("http_route", "/users/{id}"), ("http_response_status_code", "404")).Sum(sample => sample.Value) >= 2);

        Assert.Equal("text/plain", scrape.MediaType);
        var notFound = Assert.Single(scrape.Find("http_server_request_duration_seconds_count", ("http_route", "/users/{id}"), ("http_response_status_code", "404")));
        // At least: the meters are process-wide, so frontends of other tests running alongside may add to the same series.
        Assert.True(notFound.Value >= 2, $"count {notFound.Value}");
        Assert.Equal("GET", notFound.Labels["http_request_method"]);
        Assert.NotEmpty(scrape.Find("http_server_request_duration_seconds_bucket", ("http_route", "/users/{id}"), ("http_response_status_code", "404"), ("le", "0.1")));
        Assert.DoesNotContain(scrape.Samples, sample => sample.Labels.TryGetValue("http_route", out var route) && route == "/metrics");
    }

    [Fact]
    public async Task Metrics_include_the_orleans_runtime_instruments_of_the_co_hosted_silo()
    {
        await using var frontend = FrontendFactory.Embedded();
        var client = frontend.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/users")).StatusCode);

        var scrape = await PrometheusScrape.GetAsync(client);

        Assert.Contains(scrape.Samples, sample => sample.Name == "orleans_catalog_activations" && sample.Value >= 1);
        Assert.Contains(scrape.Samples, sample => sample.Name == "orleans_app_requests_latency_milliseconds_count" && sample.Value >= 1);
    }

    [Fact]
    public async Task Metrics_export_every_meter_whose_name_starts_with_OrleansSlm()
    {
        using var meter = new Meter("OrleansSlm.Test.Observability");
        var tokens = meter.CreateCounter<long>("orleansslm.test.generated_tokens");
        var latency = meter.CreateHistogram<double>("orleansslm.test.time_to_first_token", unit: "s");
        await using var frontend = FrontendFactory.Embedded();
        var client = frontend.CreateClient();

        tokens.Add(7, new KeyValuePair<string, object?>("model", "synthetic-tiny"));
        latency.Record(0.25);
        var scrape = await PrometheusScrape.GetAsync(client);

        var counted = Assert.Single(scrape.Find("orleansslm_test_generated_tokens_total", ("model", "synthetic-tiny")));
        Assert.Equal(7, counted.Value);
        Assert.Equal("OrleansSlm.Test.Observability", counted.Labels["otel_scope_name"]);
        Assert.Equal(1, Assert.Single(scrape.Find("orleansslm_test_time_to_first_token_seconds_count")).Value);
    }

    [Fact]
    public async Task With_keys_configured_metrics_answer_401_without_a_key_and_200_with_one()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = "scrape-key" });
        var client = frontend.CreateClient();

        var missing = await ApiErrorAssert.IsErrorAsync(await client.GetAsync("/metrics"), HttpStatusCode.Unauthorized);
        var scrape = await PrometheusScrape.GetAsync(client, apiKey: "scrape-key");

        Assert.Equal("invalid_api_key", missing.GetProperty("code").GetString());
        Assert.NotEmpty(scrape.Samples);
    }

    [Fact]
    public async Task Scrapes_and_the_dashboard_do_not_count_against_the_rate_limit_of_their_key()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0"] = "operator-key",
            ["RateLimit:RequestsPerMinute"] = "1",
        });
        var client = frontend.CreateClient();

        for (var scrape = 0; scrape < 3; scrape++)
        {
            await PrometheusScrape.GetAsync(client, apiKey: "operator-key");
            Assert.Equal(HttpStatusCode.OK, (await SendWithKeyAsync(client, "/dashboard/version", "operator-key")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await SendWithKeyAsync(client, "/users", "operator-key")).StatusCode);
        await ApiErrorAssert.IsErrorAsync(await SendWithKeyAsync(client, "/users", "operator-key"), HttpStatusCode.TooManyRequests);
    }

    private static Task<HttpResponseMessage> SendWithKeyAsync(HttpClient client, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client.SendAsync(request);
    }
}
