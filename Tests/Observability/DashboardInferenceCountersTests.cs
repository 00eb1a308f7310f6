using System.Net;
using System.Text;
using System.Text.Json;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Observability;

/// <summary>The scheduler's numbers among the silo counters of the Orleans Dashboard, next to Orleans' own.</summary>
public sealed class DashboardInferenceCountersTests
{
    [Fact]
    public async Task After_a_chat_request_the_silo_counters_show_slots_requests_tokens_and_latencies()
    {
        await using var frontend = FrontendFactory.Embedded();
        var client = frontend.CreateClient();
        var silo = await DashboardHosts.FirstSiloAddressAsync(client, TimeSpan.FromSeconds(30));

        using var chat = await client.PostAsync("/v1/chat/completions", new StringContent(
            """{"model":"synthetic-tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":5,"ignore_eos":true}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        var counters = await WaitForCountersAsync(client, silo, counters =>
            counters.GetValueOrDefault("orleansslm-inference-generated-tokens") >= 5
            && counters.GetValueOrDefault("orleansslm-inference-requests-finished") >= 1
            && counters.ContainsKey("orleansslm-inference-time-to-first-token-ms"));

        Assert.Equal(double.Parse(TestModel.Settings["Model:MaxBatch"]!, System.Globalization.CultureInfo.InvariantCulture), counters["orleansslm-inference-kv-slots"]);
        Assert.Equal(0, counters["orleansslm-inference-requests-running"]);
        Assert.Equal(0, counters["orleansslm-inference-requests-waiting"]);
        Assert.True(counters["orleansslm-inference-prompt-tokens"] >= 1);
        Assert.Equal(1, counters["orleansslm-inference-requests-finished"]);
        Assert.Equal(0, counters["orleansslm-inference-requests-rejected"]);
        Assert.True(counters["orleansslm-inference-time-to-first-token-ms"] > 0);
        Assert.Contains("orleans-catalog-activations", counters.Keys);
    }

    /// <summary>The dashboard samples every second: polls its silo counters until <paramref name="done"/> holds.</summary>
    private static async Task<Dictionary<string, double>> WaitForCountersAsync(HttpClient client, string silo, Func<Dictionary<string, double>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var report = JsonDocument.Parse(await client.GetStringAsync($"/dashboard/SiloCounters/{silo}"));
            var counters = report.RootElement.EnumerateArray().ToDictionary(
                counter => counter.GetProperty("name").GetString()!,
                counter => double.Parse(counter.GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            if (done(counters) || DateTime.UtcNow > deadline)
            {
                return counters;
            }

            await Task.Delay(250);
        }
    }
}
