using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Chat;

/// <summary>What an HTTP client sees when an inference silo is killed under load (fake engine: routing test only).</summary>
[Trait(TestCategory.Name, TestCategory.NeedsServers)]
public sealed class SiloFailureChatTests
{
    private const string Body = """{"model":"synthetic-tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":150,"ignore_eos":true""";

    [Fact]
    public async Task Killing_a_silo_re_sends_waiting_answers_and_ends_its_streams_promptly()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var clusterId = $"failure-{Guid.NewGuid():N}";
        var engine = SwappedDecoderModelSource.FakeFixedLatency(TimeSpan.FromMilliseconds(20));
        await using var survivor = await ClusterSilo.StartAsync(ClusterSilo.ClusterConfiguration(database.ConnectionString, clusterId), engine);
        await using var victim = await ClusterSilo.StartAsync(ClusterSilo.ClusterConfiguration(database.ConnectionString, clusterId), engine);
        await using var frontend = FrontendFactory.Client(database.ConnectionString, clusterId, new Dictionary<string, string?>
        {
            // Three keep-alive periods: short next to the 40 s waits below, long enough that a busy machine's late
            // keep-alive from the live silo is not taken for death.
            ["Chat:StallTimeoutSeconds"] = "6",
        });
        var client = frontend.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);

        var answers = Enumerable.Range(0, 4).Select(_ => client.PostAsync("/v1/chat/completions", Json(Body + "}"))).ToList();
        var streams = Enumerable.Range(0, 4).Select(_ => ReadStreamAsync(client)).ToList();
        await victim.WaitUntilRunningAsync(TimeSpan.FromSeconds(15));
        await victim.KillAsync();

        foreach (var answer in answers)
        {
            using var response = await answer.WaitAsync(TimeSpan.FromSeconds(40));
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var completion = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(150, completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        }

        var endings = await Task.WhenAll(streams.Select(stream => stream.WaitAsync(TimeSpan.FromSeconds(40))));
        Assert.All(endings, ending => Assert.True(ending == "length" || ending.StartsWith("error", StringComparison.Ordinal), ending));
        using var after = await client.PostAsync("/v1/chat/completions", Json(Body + "}"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_silo_stopped_gracefully_ends_every_running_stream_cleanly_and_new_requests_go_elsewhere()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var clusterId = $"drain-{Guid.NewGuid():N}";
        var engine = SwappedDecoderModelSource.FakeFixedLatency(TimeSpan.FromMilliseconds(20));
        await using var survivor = await ClusterSilo.StartAsync(ClusterSilo.ClusterConfiguration(database.ConnectionString, clusterId), engine);
        await using var leaving = await ClusterSilo.StartAsync(ClusterSilo.ClusterConfiguration(database.ConnectionString, clusterId), engine);
        await using var frontend = FrontendFactory.Client(database.ConnectionString, clusterId);
        var client = frontend.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);

        var streams = Enumerable.Range(0, 6).Select(_ => ReadStreamAsync(client)).ToList();
        await leaving.WaitUntilRunningAsync(TimeSpan.FromSeconds(15));
        var stopping = leaving.StopAsync();

        var endings = await Task.WhenAll(streams.Select(stream => stream.WaitAsync(TimeSpan.FromSeconds(40))));
        // The leaving silo's streams finish while it drains; the survivor's go on through the membership change.
        Assert.All(endings, ending => Assert.True(ending == "length", ending));
        await stopping.WaitAsync(TimeSpan.FromSeconds(40));
        using var after = await client.PostAsync("/v1/chat/completions", Json(Body + "}"));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>Reads a stream to its end; returns its finish reason, or "error" and the message when it ended with an error event.</summary>
    private static async Task<string> ReadStreamAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/v1/chat/completions", Json(Body + ",\"stream\":true}"));
        var events = ServerSentEvent.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        var last = JsonDocument.Parse(events[^2]).RootElement;
        return last.TryGetProperty("error", out var error)
            ? "error " + error.GetProperty("message").GetString()
            : last.GetProperty("choices")[0].GetProperty("finish_reason").GetString()!;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
