using OrleansSlm.Infrastructure.Engine;
using OrleansSlm.Infrastructure.Sampling;
using OrleansSlm.Infrastructure.Text;

namespace OrleansSlm.Tests.Engine;

public sealed class TextGeneratorTests
{
    private static readonly SamplingOptions GreedySampling = new() { Temperature = 0 };

    [Fact]
    public async Task Greedy_generation_streams_the_kv_cached_greedy_tokens_and_ends_on_length()
    {
        using var model = await TinyModelDirectory.LoadAsync();
        var prompt = model.Tokenizer.Encode(model.ChatTemplate.Render([new ChatMessage("user", "What color is an apple?")]));

        var chunks = await Collect(model.CreateGenerator().GenerateAsync(new GenerationRequest(prompt, GreedySampling, 12, IgnoreEos: true)));

        var tokens = chunks.Where(chunk => chunk.TokenId is not null).Select(chunk => chunk.TokenId!.Value).ToList();
        Assert.Equal(Greedy.WithCache(model.Decoder, prompt.ToArray(), 12), tokens);
        Assert.Equal(FinishReason.Length, chunks[^1].FinishReason);
        Assert.Equal(model.Tokenizer.Decode(tokens), string.Concat(chunks.Select(chunk => chunk.Text)));
    }

    [Fact]
    public async Task Cancellation_stops_generation_with_a_cancelled_finish_and_frees_the_slot()
    {
        using var model = await TinyModelDirectory.LoadAsync();
        using var cancellation = new CancellationTokenSource();
        var chunks = new List<GeneratedChunk>();

        await foreach (var chunk in model.CreateGenerator().GenerateAsync(new GenerationRequest([1, 40, 41], GreedySampling, 100, IgnoreEos: true), cancellation.Token))
        {
            chunks.Add(chunk);
            if (chunks.Count == 3)
            {
                await cancellation.CancelAsync();
            }
        }

        Assert.Equal(4, chunks.Count);
        Assert.Equal(FinishReason.Cancelled, chunks[^1].FinishReason);
        using var first = model.Decoder.StartSequence();
        using var second = model.Decoder.StartSequence();
        Assert.Equal(0, second.Length);
    }

    [Fact]
    public async Task An_eos_token_ends_generation_with_stop()
    {
        using var model = await TinyModelDirectory.LoadAsync();
        var prompt = new[] { 1, 40, 41 };
        var firstToken = Greedy.WithCache(model.Decoder, prompt, 1)[0];
        var decoder = new EosOverride(model.Decoder, firstToken);

        var chunks = await Collect(new TextGenerator(decoder, model.Tokenizer).GenerateAsync(new GenerationRequest(prompt, GreedySampling, 10)));

        Assert.Single(chunks);
        Assert.Null(chunks[0].TokenId);
        Assert.Equal(FinishReason.Stop, chunks[0].FinishReason);
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_a_clear_error()
    {
        using var model = await TinyModelDirectory.LoadAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            Collect(model.CreateGenerator().GenerateAsync(new GenerationRequest(new int[300], GreedySampling, 4))));

        Assert.Contains("Model:MaxContext", error.Message);
    }

    private static async Task<List<GeneratedChunk>> Collect(IAsyncEnumerable<GeneratedChunk> chunks)
    {
        var list = new List<GeneratedChunk>();
        await foreach (var chunk in chunks)
        {
            list.Add(chunk);
        }

        return list;
    }

    /// <summary>The same decoder with a different end-of-sequence id, so that EOS handling is exercised on real runs.</summary>
    private sealed class EosOverride(IDecoder inner, int eos) : IDecoder
    {
        public Infrastructure.Models.ModelDescription Description { get; } = inner.Description with { EosTokenIds = [eos] };

        public int MaxSequenceLength => inner.MaxSequenceLength;

        public IDecoderSequence StartSequence() => inner.StartSequence();

        public void Dispose()
        {
        }
    }
}
