using System.Net;
using System.Text;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Observability;

/// <summary>The scheduler's instruments on <c>/metrics</c>, labelled with the model and the silo's role.</summary>
public sealed class InferenceMetricsTests
{
    [Fact]
    public async Task A_chat_request_shows_up_in_token_counters_and_latency_histograms_per_model_and_role()
    {
        await using var frontend = FrontendFactory.Embedded();
        var client = frontend.CreateClient();
        using var chat = await client.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"synthetic-tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":5,"ignore_eos":true}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);

        (string, string)[] labels = [("model", TestModel.Id), ("role", "cpu")];
        var scrape = await PrometheusScrape.WaitForAsync(client, scrape =>
            scrape.Find("orleansslm_inference_requests_finished_total", [.. labels, ("finish_reason", "length")]).Any(sample => sample.Value >= 1));

        Assert.True(Assert.Single(scrape.Find("orleansslm_inference_generated_tokens_total", labels)).Value >= 5);
        Assert.True(Assert.Single(scrape.Find("orleansslm_inference_prompt_tokens_total", labels)).Value >= 1);
        Assert.True(Assert.Single(scrape.Find("orleansslm_inference_time_to_first_token_seconds_count", labels)).Value >= 1);
        Assert.True(Assert.Single(scrape.Find("orleansslm_inference_inter_token_latency_seconds_count", labels)).Value >= 4);
        Assert.True(Assert.Single(scrape.Find("orleansslm_inference_requests_finished_total", [.. labels, ("finish_reason", "length")])).Value >= 1);
        Assert.NotEmpty(scrape.Find("orleansslm_inference_kv_slots", labels));
        Assert.NotEmpty(scrape.Find("orleansslm_inference_requests_waiting", labels));
        Assert.NotEmpty(scrape.Find("orleansslm_inference_queue_time_seconds_bucket", labels));
        // The dashboard's copies of these numbers on Orleans' meter carry no labels and stay off /metrics. (Other tests
        // in this process run schedulers of other models on the same static instruments, so only the label is checked.)
        Assert.All(scrape.Samples.Where(sample => sample.Name.StartsWith("orleansslm", StringComparison.Ordinal)),
            sample => Assert.True(sample.Labels.ContainsKey("model"), $"{sample.Name} has no model label"));
    }
}
