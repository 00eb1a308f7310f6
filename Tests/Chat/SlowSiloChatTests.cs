using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrleansSlm.Grains.Inference;
using OrleansSlm.Tests.Scheduling;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Chat;

/// <summary>
/// A non-streaming request whose silo is slow or whose call breaks while the silo lives is not generated a second
/// time: only a silo that membership declares dead gets its requests sent elsewhere (that case: <c>SiloFailureChatTests</c>).
/// </summary>
public sealed class SlowSiloChatTests
{
    private const string Body = """{"model":"synthetic-tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":8,"ignore_eos":true}""";

    [Fact]
    public async Task A_silo_silent_past_the_stall_timeout_but_alive_is_waited_for_and_generates_the_answer_once()
    {
        // The answer is held for the stall timeout and half again: the frontend sees a stall, asks membership, and waits.
        var (frontend, decoder) = Start(FirstStreamReadFilter.Holding(TimeSpan.FromSeconds(9)));
        await using var _ = frontend;
        var client = frontend.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);

        using var response = await client.PostAsync("/v1/chat/completions", new StringContent(Body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var completion = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(8, completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(1, decoder().SequencesStarted);
    }

    [Fact]
    public async Task A_call_that_breaks_after_its_silo_accepted_the_request_ends_with_503_and_is_not_generated_again_while_the_silo_lives()
    {
        var (frontend, decoder) = Start(FirstStreamReadFilter.Failing());
        await using var _ = frontend;
        var client = frontend.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", new StringContent(Body, Encoding.UTF8, "application/json"));

        var error = await ApiErrorAssert.IsErrorAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("inference_unavailable", error.GetProperty("code").GetString());
        Assert.Contains("still a cluster member", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal(1, decoder().SequencesStarted);
    }

    /// <summary>The embedded frontend on a lightly slowed real decoder, with <paramref name="filter"/> on its silo; the decoder once the model has loaded.</summary>
    private static (WebApplicationFactory<Program> Frontend, Func<PacedDecoder> Decoder) Start(FirstStreamReadFilter filter)
    {
        PacedDecoder? decoder = null;
        var frontend = FrontendFactory.Embedded(new Dictionary<string, string?> { ["Chat:StallTimeoutSeconds"] = "6" })
            .WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            {
                services.AddSingleton<IModelSource>(new SwappedDecoderModelSource((real, _) => decoder = new PacedDecoder(real, TimeSpan.FromMilliseconds(10))));
                services.AddSingleton<IIncomingGrainCallFilter>(filter);
            }));
        return (frontend, () => decoder ?? throw new InvalidOperationException("The model has not loaded."));
    }
}
