using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using OrleansSlm.ServiceDefaults.Health;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Http;

[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class RequestGuardTests
{
    [Fact]
    public async Task With_keys_configured_api_routes_need_a_valid_bearer_key_and_probes_stay_open()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?> { ["Auth:ApiKeys:0"] = "first-key", ["Auth:ApiKeys:1"] = "second-key" });
        var client = frontend.CreateClient();

        var missing = await ApiErrorAssert.IsErrorAsync(await client.GetAsync("/users"), HttpStatusCode.Unauthorized);
        var wrong = await ApiErrorAssert.IsErrorAsync(await SendWithKeyAsync(client, "/users", "first-kez"), HttpStatusCode.Unauthorized);
        using var first = await SendWithKeyAsync(client, "/users", "first-key");
        using var second = await SendWithKeyAsync(client, "/users", "second-key");

        Assert.Equal("invalid_api_key", missing.GetProperty("code").GetString());
        Assert.Equal("invalid_api_key", wrong.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        foreach (var open in new[] { "/", "/healthz", "/readyz" })
        {
            Assert.NotEqual(HttpStatusCode.Unauthorized, (await client.GetAsync(open)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(ProbeEndpoints.DetailsPath)).StatusCode);
        using var details = await SendWithKeyAsync(client, ProbeEndpoints.DetailsPath, "first-key");
        Assert.NotEqual(HttpStatusCode.Unauthorized, details.StatusCode);
    }

    [Fact]
    public async Task The_rate_limit_per_key_is_shared_by_frontends_through_redis_and_answers_429_with_retry_after()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0"] = "limited-key",
            ["RateLimit:RequestsPerMinute"] = "3",
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Cache:KeyPrefix"] = $"test-{Guid.NewGuid():N}:",
        };
        await using var frontendA = FrontendFactory.Embedded(settings);
        await using var frontendB = FrontendFactory.Embedded(settings);
        var clientA = frontendA.CreateClient();
        var clientB = frontendB.CreateClient();

        var allowed = new[]
        {
            (await SendWithKeyAsync(clientA, "/users", "limited-key")).StatusCode,
            (await SendWithKeyAsync(clientB, "/users", "limited-key")).StatusCode,
            (await SendWithKeyAsync(clientA, "/users", "limited-key")).StatusCode,
        };
        using var limited = await SendWithKeyAsync(clientB, "/users", "limited-key");

        Assert.All(allowed, status => Assert.Equal(HttpStatusCode.OK, status));
        var error = await ApiErrorAssert.IsErrorAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        // Three in this window drain to two 20 s into the next one: at most 80 s away.
        Assert.InRange(int.Parse(limited.Headers.GetValues("Retry-After").Single()), 1, 80);
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_and_stores_nothing()
    {
        await using var frontend = FrontendFactory.Embedded();
        var client = frontend.CreateClient();
        var tenMegabytes = $"{{\"name\":\"{new string('x', 10 * 1024 * 1024)}\",\"email\":\"big@example.com\"}}";

        using var response = await client.PostAsync("/users", new StringContent(tenMegabytes, Encoding.UTF8, "application/json"));

        var error = await ApiErrorAssert.IsErrorAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("request_too_large", error.GetProperty("code").GetString());
        Assert.Equal(0, (await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/users")).GetProperty("total").GetInt32());
    }

    private static Task<HttpResponseMessage> SendWithKeyAsync(HttpClient client, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client.SendAsync(request);
    }
}
