using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OrleansSlm.Engine.Sampling;
using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Chat;

/// <summary>A request that fails inside a batched step ends alone: its neighbours in the step finish as they would without it.</summary>
public sealed class PoisonedNeighbourTests
{
    private const int Ordinary = 15;
    private const ulong PoisonedSeed = 666;

    [Fact]
    public async Task Fifteen_streams_sharing_steps_with_a_request_that_fails_in_sampling_finish_with_their_normal_text()
    {
        var samplers = new PoisonOneSeed(PoisonedSeed, failAtToken: 5);
        await using var frontend = FrontendFactory.Embedded(new Dictionary<string, string?> { ["Model:MaxBatch"] = "16" })
            .WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<ITokenSamplerFactory>(samplers)));
        var client = frontend.CreateClient();
        var alone = await Task.WhenAll(Enumerable.Range(0, Ordinary).Select(index => StreamTextAsync(client, index)));

        var poisoned = client.PostAsync("/v1/chat/completions", Body(prompt: "poison", maxTokens: 24, stream: false, seed: PoisonedSeed));
        var beside = await Task.WhenAll(Enumerable.Range(0, Ordinary).Select(index => StreamTextAsync(client, index)));
        using var failed = await poisoned;

        Assert.Equal(alone, beside);
        Assert.All(beside, text => Assert.NotEmpty(text));
        var error = await ApiErrorAssert.IsErrorAsync(failed, HttpStatusCode.InternalServerError);
        Assert.Equal("generation_failed", error.GetProperty("code").GetString());
        Assert.Equal(1, samplers.PoisonedCreated);
        Assert.True(samplers.PoisonedSampled >= 5, "the poisoned request never reached the steps it shares with the others");
    }

    private static async Task<string> StreamTextAsync(HttpClient client, int index)
    {
        using var response = await client.PostAsync("/v1/chat/completions", Body($"story {index}", maxTokens: 24, stream: true, seed: (ulong)index));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = new StringBuilder();
        var finish = "";
        foreach (var data in ServerSentEvent.Parse(await response.Content.ReadAsStringAsync()).Where(data => data != "[DONE]"))
        {
            using var chunk = JsonDocument.Parse(data);
            Assert.False(chunk.RootElement.TryGetProperty("error", out _), data);
            var choice = chunk.RootElement.GetProperty("choices")[0];
            if (choice.GetProperty("delta").TryGetProperty("content", out var content))
            {
                text.Append(content.GetString());
            }

            finish = choice.GetProperty("finish_reason").GetString() ?? finish;
        }

        Assert.Equal("length", finish);
        return text.ToString();
    }

    private static StringContent Body(string prompt, int maxTokens, bool stream, ulong seed) => new(
        $$"""{"model":"synthetic-tiny","messages":[{"role":"user","content":"{{prompt}}"}],"max_tokens":{{maxTokens}},"ignore_eos":true,"temperature":0,"seed":{{seed}},"stream":{{(stream ? "true" : "false")}}}""",
        Encoding.UTF8, "application/json");

    /// <summary>The engine's samplers, except that the request with one seed throws at one of its tokens, as a bug inside one row would.</summary>
    private sealed class PoisonOneSeed(ulong seed, int failAtToken) : ITokenSamplerFactory
    {
        private int _created;
        private int _sampled;

        public int PoisonedCreated => Volatile.Read(ref _created);

        public int PoisonedSampled => Volatile.Read(ref _sampled);

        public ITokenSampler Create(SamplingOptions options)
        {
            var real = SamplerFactory.Instance.Create(options);
            if (options.Seed != seed)
            {
                return real;
            }

            Interlocked.Increment(ref _created);
            return new Poisoned(real, this, failAtToken);
        }

        private sealed class Poisoned(ITokenSampler real, PoisonOneSeed owner, int failAtToken) : ITokenSampler
        {
            public int Sample(ReadOnlySpan<float> logits, IReadOnlyList<int> promptTokens, IReadOnlyList<int> generatedTokens)
            {
                if (Interlocked.Increment(ref owner._sampled) >= failAtToken)
                {
                    throw new InvalidOperationException("poisoned row");
                }

                return real.Sample(logits, promptTokens, generatedTokens);
            }
        }
    }
}
