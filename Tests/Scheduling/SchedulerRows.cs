using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Sampling;
using OrleansSlm.Engine.Scheduling;
using OrleansSlm.Engine.Text;

namespace OrleansSlm.Tests.Scheduling;

/// <summary>
/// Scheduler requests without a model, for the planner, runner and update-step tests: greedy sampling (or a given
/// sampler) over logits the test writes, a tokenizer that spells each id as <c>&lt;id&gt;</c>, and KV cache sequences
/// that only record what happens to them.
/// </summary>
internal static class SchedulerRows
{
    public const int Vocab = 16;

    public const int Eos = 15;

    public static ScheduledRequest Request(int promptTokens, int maxTokens = 8, ITokenSampler? sampler = null, IReadOnlyList<string>? stop = null) =>
        new(new GenerationRequest([.. Enumerable.Range(1, promptTokens)], new SamplingOptions { Temperature = 0 }, maxTokens, stop),
            sampler ?? new Sampler(new SamplingOptions { Temperature = 0 }), new SpelledTokenizer(), [Eos]);

    /// <summary>A request admitted into a recording sequence, with <paramref name="cached"/> tokens already in its cache.</summary>
    public static ScheduledRequest Admitted(int promptTokens, int cached, int maxTokens = 8, ITokenSampler? sampler = null, IReadOnlyList<string>? stop = null)
    {
        var request = Request(promptTokens, maxTokens, sampler, stop);
        request.Admit(new RecordingSequence());
        request.Advance(cached);
        return request;
    }

    /// <summary>Logits whose greedy choice for row <c>i</c> is <c>tokens[i]</c>.</summary>
    public static float[] Logits(params int[] tokens)
    {
        var logits = new float[tokens.Length * Vocab];
        for (var row = 0; row < tokens.Length; row++)
        {
            logits[(row * Vocab) + tokens[row]] = 10;
        }

        return logits;
    }

    public static List<GeneratedChunk> Chunks(ScheduledRequest request)
    {
        var chunks = new List<GeneratedChunk>();
        while (request.Output.TryRead(out var chunk))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    public sealed class SpelledTokenizer : ITextTokenizer
    {
        public int VocabularySize => Vocab;

        public IReadOnlyList<int> Encode(string text) => throw new NotSupportedException();

        public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens = true) => string.Concat(ids.Select(id => $"<{id}>"));

        public int? TokenToId(string token) => null;
    }

    /// <summary>A sampler that throws, as a bug or a hostile setting would inside one row of a step.</summary>
    public sealed class ThrowingSampler : ITokenSampler
    {
        public int Sample(ReadOnlySpan<float> logits, IReadOnlyList<int> promptTokens, IReadOnlyList<int> generatedTokens) =>
            throw new InvalidOperationException("poisoned row");
    }

    public sealed class RecordingSequence : IDecoderSequence
    {
        public int Length { get; private set; }

        public int VocabSize => Vocab;

        public bool Disposed { get; private set; }

        public void Append(ReadOnlySpan<int> tokens, Memory<float> logits) => Length += tokens.Length;

        public void Dispose() => Disposed = true;
    }
}
