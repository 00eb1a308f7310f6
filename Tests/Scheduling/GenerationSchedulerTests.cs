using Microsoft.Extensions.Logging.Abstractions;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Sampling;
using OrleansSlm.Engine.Scheduling;
using OrleansSlm.Engine.Text;
using OrleansSlm.Tests.Engine;

namespace OrleansSlm.Tests.Scheduling;

public sealed class GenerationSchedulerTests
{
    private static readonly SamplingOptions GreedySampling = new() { Temperature = 0 };

    [Fact]
    public async Task Greedy_generation_streams_the_kv_cached_greedy_tokens_and_ends_on_length()
    {
        using var model = await TinyModelDirectory.LoadAsync();
        var prompt = model.Tokenizer.Encode(model.ChatTemplate.Render([new ChatMessage("user", "What color is an apple?")]));
        var expected = Greedy.WithCache(model.Decoder, [.. prompt], 12);
        using var scheduler = Start(model, TinyModelDirectory.Options());

        var chunks = await Collect(scheduler.GenerateAsync(new GenerationRequest(prompt, GreedySampling, 12, IgnoreEos: true)));

        var tokens = chunks.Where(chunk => chunk.TokenId is not null).Select(chunk => chunk.TokenId!.Value).ToList();
        Assert.Equal(expected, tokens);
        Assert.Equal(FinishReason.Length, chunks[^1].FinishReason);
        Assert.Equal(model.Tokenizer.Decode(tokens), string.Concat(chunks.Select(chunk => chunk.Text)));
    }

    [Theory]
    [InlineData(ModelPrecision.Fp32)]
    [InlineData(ModelPrecision.Int8)]
    public async Task Requests_joining_and_leaving_the_batch_at_different_steps_get_the_tokens_they_get_alone(ModelPrecision precision)
    {
        using var model = await TinyModelDirectory.LoadAsync(precision, maxBatch: 3);
        int[][] prompts =
        [
            [1, 17, 300],
            [1, 45, 9, 250, 77, 3, 400, 12, 5, 88, 91, 23, 7],
            [1, 2, 3, 4, 5, 6],
            [1, 99],
            [1, 300, 301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 311, 312, 313, 314, 315, 316, 317],
        ];
        int[] lengths = [9, 4, 14, 6, 8];
        var expected = prompts.Select((prompt, i) => Greedy.WithCache(model.Decoder, prompt, lengths[i])).ToArray();

        // Three slots for five requests, a prefill chunk shorter than most prompts, and arrivals spread over time:
        // rows join while others decode, wait for a slot, and leave at different steps.
        using var scheduler = Start(model, TinyModelDirectory.Options(precision, maxBatch: 3), prefillChunk: 4);
        var runs = new List<Task<List<GeneratedChunk>>>();
        for (var i = 0; i < prompts.Length; i++)
        {
            runs.Add(Collect(scheduler.GenerateAsync(new GenerationRequest(prompts[i], GreedySampling, lengths[i], IgnoreEos: true))));
            await WaitForSteps(scheduler, scheduler.Steps + 2);
        }

        var results = await Task.WhenAll(runs);

        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(expected[i], results[i].Where(chunk => chunk.TokenId is not null).Select(chunk => chunk.TokenId!.Value));
            Assert.Equal(FinishReason.Length, results[i][^1].FinishReason);
        }

        Assert.Equal(new SchedulerStatus(3, 0, 0, 64), await StatusOnceIdle(scheduler));
    }

    [Fact]
    public async Task A_cancelled_request_frees_its_slot_at_the_next_step_for_the_request_waiting_behind_it()
    {
        using var model = await TinyModelDirectory.LoadAsync(maxBatch: 1);
        using var scheduler = Start(Paced(model), TinyModelDirectory.Options(maxBatch: 1));
        using var cancellation = new CancellationTokenSource();
        var first = new List<GeneratedChunk>();
        var stepsAtCancel = 0L;

        Task<List<GeneratedChunk>>? waiting = null;
        await foreach (var chunk in scheduler.GenerateAsync(new GenerationRequest([1, 40, 41], GreedySampling, 200, IgnoreEos: true), cancellation.Token))
        {
            first.Add(chunk);
            if (first.Count == 1)
            {
                waiting = Collect(scheduler.GenerateAsync(new GenerationRequest([1, 50], GreedySampling, 3, IgnoreEos: true)));
            }

            if (first.Count == 3)
            {
                Assert.Equal(1, scheduler.Status.Waiting);
                await cancellation.CancelAsync();
                stepsAtCancel = scheduler.Steps;
            }
        }

        // Chunks may lag behind the model (the caller reads a buffer), so the proof counts model steps, not chunks read.
        // Once CancelAsync returns the request is marked cancelled: only the step already in flight may still end for
        // it, and after that the only steps are the waiting request's three (prefill, then two decodes).
        Assert.Equal(FinishReason.Cancelled, first[^1].FinishReason);
        var firstTokens = first.Count(chunk => chunk.TokenId is not null);
        Assert.True(firstTokens <= stepsAtCancel + 1, $"{firstTokens} tokens after {stepsAtCancel} steps; cancellation must end the request within one step");
        Assert.Equal(FinishReason.Length, (await waiting!)[^1].FinishReason);
        Assert.True(scheduler.Steps - stepsAtCancel <= 1 + 3, $"{scheduler.Steps - stepsAtCancel} steps ran after the cancellation");
    }

    [Fact]
    public async Task A_caller_that_stops_reading_frees_the_slot()
    {
        using var model = await TinyModelDirectory.LoadAsync(maxBatch: 1);
        using var scheduler = Start(model, TinyModelDirectory.Options(maxBatch: 1));

        await foreach (var chunk in scheduler.GenerateAsync(new GenerationRequest([1, 40, 41], GreedySampling, 500, IgnoreEos: true)))
        {
            Assert.Null(chunk.FinishReason);
            break;
        }

        var next = await Collect(scheduler.GenerateAsync(new GenerationRequest([1, 7], GreedySampling, 2, IgnoreEos: true)));
        Assert.Equal(FinishReason.Length, next[^1].FinishReason);
        Assert.Equal(0, (await StatusOnceIdle(scheduler)).Running);
    }

    [Fact]
    public async Task A_full_queue_turns_a_request_away_at_once_instead_of_queueing_it()
    {
        using var model = await TinyModelDirectory.LoadAsync(maxBatch: 1);
        // 200 steps of 100 ms: the running request outlasts any pause of the test thread, so the queue is still full.
        using var scheduler = Start(Paced(model, stepMilliseconds: 100), TinyModelDirectory.Options(maxBatch: 1), maxQueue: 1);
        using var cancellation = new CancellationTokenSource();
        var running = scheduler.GenerateAsync(new GenerationRequest([1, 40], GreedySampling, 200, IgnoreEos: true), cancellation.Token).GetAsyncEnumerator();
        Assert.True(await running.MoveNextAsync());
        var waiting = Collect(scheduler.GenerateAsync(new GenerationRequest([1, 41], GreedySampling, 2, IgnoreEos: true), cancellation.Token));

        var rejected = Assert.Throws<EngineOverloadedException>(() => scheduler.GenerateAsync(new GenerationRequest([1, 42], GreedySampling, 2)));

        Assert.True(rejected.RetryAfter >= TimeSpan.FromSeconds(1));
        Assert.Contains("Model:MaxQueue", rejected.Message);
        await cancellation.CancelAsync();
        await running.DisposeAsync();
        Assert.Equal(FinishReason.Cancelled, (await waiting)[^1].FinishReason);
    }

    /// <summary>Gemma 3 names two end ids (<c>&lt;eos&gt;</c>, <c>&lt;end_of_turn&gt;</c>): either one ends the answer.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_eos_token_ends_generation_with_stop(bool secondOfTwoEndIds)
    {
        using var model = await TinyModelDirectory.LoadAsync();
        var prompt = new[] { 1, 40, 41 };
        var firstToken = Greedy.WithCache(model.Decoder, prompt, 1)[0];
        int[] endIds = secondOfTwoEndIds ? [(firstToken + 1) % model.Decoder.Description.VocabSize, firstToken] : [firstToken];
        var eosModel = model with { Decoder = new EosOverride(model.Decoder, endIds) };
        using var scheduler = Start(eosModel, TinyModelDirectory.Options());

        var chunks = await Collect(scheduler.GenerateAsync(new GenerationRequest(prompt, GreedySampling, 10)));

        Assert.Single(chunks);
        Assert.Null(chunks[0].TokenId);
        Assert.Equal(FinishReason.Stop, chunks[0].FinishReason);
    }

    [Fact]
    public async Task Bad_requests_are_refused_before_anything_is_queued()
    {
        using var model = await TinyModelDirectory.LoadAsync();
        using var scheduler = Start(model, TinyModelDirectory.Options());

        Assert.Contains("Model:MaxContext", Assert.Throws<ArgumentException>(() => scheduler.GenerateAsync(new GenerationRequest(new int[300], GreedySampling, 4))).Message);
        Assert.Contains("vocabulary", Assert.Throws<ArgumentException>(() => scheduler.GenerateAsync(new GenerationRequest([1, 100_000], GreedySampling, 4))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.GenerateAsync(new GenerationRequest([1, 2], GreedySampling, 0)));
        Assert.Throws<ArgumentException>(() => scheduler.GenerateAsync(new GenerationRequest([1, 2], GreedySampling with { TopP = 0 }, 4)));
        Assert.Equal(0, scheduler.Status.Waiting);
    }

    private static LoadedModel Paced(LoadedModel model, int stepMilliseconds = 20) =>
        model with { Decoder = new PacedDecoder(model.Decoder, TimeSpan.FromMilliseconds(stepMilliseconds)) };

    private static GenerationScheduler Start(LoadedModel model, ModelOptions options, int prefillChunk = 128, int maxQueue = 64)
    {
        options.PrefillChunk = prefillChunk;
        options.MaxQueue = maxQueue;
        return new GenerationScheduler(model, options, NullLogger.Instance);
    }

    private static async Task WaitForSteps(GenerationScheduler scheduler, long steps)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (scheduler.Steps < steps && (scheduler.Status.Running > 0 || scheduler.Status.Waiting > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1);
        }
    }

    /// <summary>A stream ends with its last chunk; the scheduler retires the row at the end of that step, a moment later.</summary>
    private static async Task<SchedulerStatus> StatusOnceIdle(GenerationScheduler scheduler)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (scheduler.Status.Running > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        return scheduler.Status;
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

    /// <summary>The same decoder with other end-of-sequence ids, so that EOS handling is exercised on real runs.</summary>
    private sealed class EosOverride(IDecoder inner, int[] endIds) : IDecoder
    {
        public OrleansSlm.Engine.Models.ModelDescription Description { get; } = inner.Description with { EosTokenIds = endIds };

        public int MaxSequenceLength => inner.MaxSequenceLength;

        public IDecoderSequence StartSequence() => inner.StartSequence();

        public void Dispose()
        {
        }
    }
}
