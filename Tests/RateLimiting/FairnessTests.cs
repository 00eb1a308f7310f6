using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.RateLimiting;

/// <summary>One key cannot take the capacity every key shares: the per-key concurrency cap and token budget.</summary>
public sealed class FairnessTests
{
    private static readonly Dictionary<string, string?> TwoKeys = new()
    {
        ["Auth:ApiKeys:0"] = "greedy-key",
        ["Auth:ApiKeys:1"] = "polite-key",
    };

    [Fact]
    public async Task A_key_opening_fifty_streams_gets_429_beyond_its_cap_while_another_keys_first_token_comes_as_fast_as_on_an_idle_server()
    {
        // Every decode step takes at least 10 ms, so the greedy key's streams (150 tokens each) run for the whole test,
        // and a request queued behind them would wait seconds: time to first token counts steps, not the machine's speed.
        var step = TimeSpan.FromMilliseconds(10);
        await using var frontend = FrontendFactory.EmbeddedPaced(step, new Dictionary<string, string?>(TwoKeys)
        {
            ["RateLimit:MaxConcurrentRequests"] = "4",
            ["Model:MaxBatch"] = "8",
        });
        var client = frontend.CreateClient();
        // The first stream warms the path (the first model step, the first grain activation).
        await FirstTokenAsync(client, "polite-key");
        var idle = await MedianFirstTokenAsync(client, "polite-key");

        var greedy = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            client.SendAsync(Streamed("greedy-key", maxTokens: 150), HttpCompletionOption.ResponseHeadersRead)));
        try
        {
            var loaded = await MedianFirstTokenAsync(client, "polite-key");

            var admitted = greedy.Count(response => response.StatusCode == HttpStatusCode.OK);
            var limited = greedy.Where(response => response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            Assert.Equal((4, 46), (admitted, limited.Count));
            var error = await ApiErrorAssert.IsErrorAsync(limited[0], HttpStatusCode.TooManyRequests);
            Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
            Assert.True(greedy.All(response => !response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType == "text/event-stream"));
            // Beside running streams a new request also waits for the step under way to end before its prefill joins
            // the next one, as in any continuously batched server: one step on top of twice the idle time.
            Assert.True(loaded <= 2 * idle + step, $"time to first token {loaded.TotalMilliseconds:F0} ms beside the greedy key's streams, {idle.TotalMilliseconds:F0} ms idle");
        }
        finally
        {
            foreach (var response in greedy)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_finished_request_frees_its_place_under_the_cap()
    {
        await using var frontend = FrontendFactory.EmbeddedPaced(TimeSpan.FromMilliseconds(20), new Dictionary<string, string?>(TwoKeys)
        {
            ["RateLimit:MaxConcurrentRequests"] = "1",
        });
        var client = frontend.CreateClient();

        var pair = await Task.WhenAll(
            client.SendAsync(Streamed("greedy-key", maxTokens: 50), HttpCompletionOption.ResponseHeadersRead),
            client.SendAsync(Streamed("greedy-key", maxTokens: 50), HttpCompletionOption.ResponseHeadersRead));
        var running = pair.Single(response => response.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.TooManyRequests, pair.Single(response => response != running).StatusCode);
        await running.Content.ReadAsStringAsync();
        foreach (var response in pair)
        {
            response.Dispose();
        }

        using var afterwards = await client.SendAsync(Plain("greedy-key", maxTokens: 2));
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }

    [Fact]
    public async Task The_token_budget_counts_prompt_and_max_tokens_and_answers_with_openais_headers()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?>(TwoKeys) { ["RateLimit:TokensPerMinute"] = "100" });
        var client = frontend.CreateClient();

        using var tooLarge = await client.SendAsync(Plain("greedy-key", maxTokens: 120));
        using var first = await client.SendAsync(Plain("greedy-key", maxTokens: 60));
        using var over = await client.SendAsync(Plain("greedy-key", maxTokens: 60));
        using var otherKey = await client.SendAsync(Plain("polite-key", maxTokens: 60));

        var tooLargeError = await ApiErrorAssert.IsErrorAsync(tooLarge, HttpStatusCode.TooManyRequests);
        Assert.Equal("tokens", tooLargeError.GetProperty("type").GetString());
        Assert.Contains("Request too large", tooLargeError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        // "hi" is estimated at one token: 61 of 100 spent.
        Assert.Equal(("100", "39"), (Header(first, "x-ratelimit-limit-tokens"), Header(first, "x-ratelimit-remaining-tokens")));
        Assert.EndsWith("s", Header(first, "x-ratelimit-reset-tokens"), StringComparison.Ordinal);
        await ApiErrorAssert.IsErrorAsync(over, HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(Header(over, "Retry-After")), 1, 120);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task Requests_carry_openais_request_headers_and_a_refusal_says_when_to_retry()
    {
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?>(TwoKeys) { ["RateLimit:RequestsPerMinute"] = "2" });
        var client = frontend.CreateClient();

        using var first = await client.SendAsync(Get("greedy-key"));
        using var second = await client.SendAsync(Get("greedy-key"));
        using var third = await client.SendAsync(Get("greedy-key"));

        Assert.Equal(("2", "1"), (Header(first, "x-ratelimit-limit-requests"), Header(first, "x-ratelimit-remaining-requests")));
        Assert.Equal("0", Header(second, "x-ratelimit-remaining-requests"));
        await ApiErrorAssert.IsErrorAsync(third, HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(Header(third, "Retry-After")), 1, 120);
    }

    /// <summary>
    /// The median time to first token of three streams sent together (under the key's cap of four): sent one after
    /// another, a first one that queued would let the rest run on an idle server.
    /// </summary>
    private static async Task<TimeSpan> MedianFirstTokenAsync(HttpClient client, string key)
    {
        var samples = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => FirstTokenAsync(client, key)));
        return samples.Order().ElementAt(1);
    }

    private static async Task<TimeSpan> FirstTokenAsync(HttpClient client, string key)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(Streamed(key, maxTokens: 2), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line && !IsToken(line))
        {
        }

        return clock.Elapsed;
    }

    private static bool IsToken(string line) =>
        line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"content\":\"\"", StringComparison.Ordinal);

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    private static HttpRequestMessage Get(string key) => WithKey(new HttpRequestMessage(HttpMethod.Get, "/users"), key);

    private static HttpRequestMessage Streamed(string key, int maxTokens) => Chat(key, maxTokens, stream: true);

    private static HttpRequestMessage Plain(string key, int maxTokens) => Chat(key, maxTokens, stream: false);

    private static HttpRequestMessage Chat(string key, int maxTokens, bool stream) => WithKey(new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
    {
        Content = new StringContent(
            $$"""{"model":"synthetic-tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":{{maxTokens}},"ignore_eos":true,"stream":{{(stream ? "true" : "false")}}}""",
            Encoding.UTF8, "application/json"),
    }, key);

    private static HttpRequestMessage WithKey(HttpRequestMessage request, string key)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }
}
