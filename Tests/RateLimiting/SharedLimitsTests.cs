using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.RateLimiting;

/// <summary>Two frontends on one Redis share a key's concurrency cap and token budget.</summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class SharedLimitsTests
{
    [Fact]
    public async Task A_keys_concurrency_cap_holds_across_frontends()
    {
        var settings = Shared(new() { ["RateLimit:MaxConcurrentRequests"] = "1" });
        await using var frontendA = FrontendFactory.EmbeddedPaced(TimeSpan.FromMilliseconds(20), settings);
        await using var frontendB = FrontendFactory.EmbeddedPaced(TimeSpan.FromMilliseconds(20), settings);
        var clientA = frontendA.CreateClient();
        var clientB = frontendB.CreateClient();

        var pair = await Task.WhenAll(
            clientA.SendAsync(Chat(maxTokens: 50, stream: true), HttpCompletionOption.ResponseHeadersRead),
            clientB.SendAsync(Chat(maxTokens: 50, stream: true), HttpCompletionOption.ResponseHeadersRead));
        try
        {
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests], pair.Select(response => response.StatusCode).Order());
            await pair.Single(response => response.IsSuccessStatusCode).Content.ReadAsStringAsync();
        }
        finally
        {
            foreach (var response in pair)
            {
                response.Dispose();
            }
        }

        // The finished stream's lease is gone from Redis: the other frontend admits the key again.
        using var afterwards = await clientB.SendAsync(Chat(maxTokens: 2, stream: false));
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }

    [Fact]
    public async Task A_keys_token_budget_is_spent_on_any_frontend()
    {
        var settings = Shared(new() { ["RateLimit:TokensPerMinute"] = "100" });
        await using var frontendA = FrontendFactory.Embedded(settings);
        await using var frontendB = FrontendFactory.Embedded(settings);

        using var first = await frontendA.CreateClient().SendAsync(Chat(maxTokens: 60, stream: false));
        using var second = await frontendB.CreateClient().SendAsync(Chat(maxTokens: 60, stream: false));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var error = await ApiErrorAssert.IsErrorAsync(second, HttpStatusCode.TooManyRequests);
        Assert.Equal("tokens", error.GetProperty("type").GetString());
        Assert.Equal("39", second.Headers.GetValues("x-ratelimit-remaining-tokens").Single());
    }

    private static Dictionary<string, string?> Shared(Dictionary<string, string?> limits) => new(limits)
    {
        ["Auth:ApiKeys:0"] = "shared-key",
        ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
        ["Cache:KeyPrefix"] = $"test-{Guid.NewGuid():N}:",
    };

    private static HttpRequestMessage Chat(int maxTokens, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(
                $$"""{"model":"synthetic-tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":{{maxTokens}},"ignore_eos":true,"stream":{{(stream ? "true" : "false")}}}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "shared-key");
        return request;
    }
}
