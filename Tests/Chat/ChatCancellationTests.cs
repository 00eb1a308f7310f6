using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OrleansSlm.Grains.Inference;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Chat;

public sealed class ChatCancellationTests
{
    [Fact]
    public async Task With_every_slot_busy_and_the_queue_full_a_request_gets_503_engine_overloaded_with_retry_after()
    {
        await using var frontend = FrontendFactory.EmbeddedPaced(
            TimeSpan.FromMilliseconds(100), new Dictionary<string, string?> { ["Model:MaxBatch"] = "1", ["Model:MaxQueue"] = "0" });
        var client = frontend.CreateClient();
        // 150 steps of 100 ms: the busy request holds the only slot far longer than the second request takes to arrive.
        const string body = """{"model":"synthetic-tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":150,"ignore_eos":true,"stream":true}""";
        using var busy = await client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") },
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, busy.StatusCode);

        using var refused = await client.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        var error = await ApiErrorAssert.IsErrorAsync(refused, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("engine_overloaded", error.GetProperty("code").GetString());
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single()) >= 1);
    }

    [Fact]
    public async Task A_streaming_client_that_hangs_up_frees_its_slot_within_a_few_decode_steps()
    {
        await using var frontend = FrontendFactory.EmbeddedPaced(TimeSpan.FromMilliseconds(50));
        var client = frontend.CreateClient();
        var scheduler = frontend.Services.GetRequiredService<InferenceHost>().Scheduler!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(
                """{"model":"synthetic-tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":170,"ignore_eos":true,"stream":true}""",
                Encoding.UTF8, "application/json"),
        };

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? line;
        do
        {
            line = await reader.ReadLineAsync();
        }
        while (line is not null && !(line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"role\"", StringComparison.Ordinal)));

        Assert.NotNull(line);

        Assert.Equal(1, scheduler.Status.Running);
        var stepsAtHangUp = scheduler.Steps;
        response.Dispose();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (scheduler.Status.Running > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.Equal(0, scheduler.Status.Running);
        // The hang-up travels from the socket through the frontend and the grain to the scheduler; on a busy machine
        // that can take a few 50 ms steps, but far fewer than the 170 tokens the request asked for.
        Assert.True(scheduler.Steps - stepsAtHangUp <= 40, $"{scheduler.Steps - stepsAtHangUp} decode steps ran after the client hung up");
    }
}
