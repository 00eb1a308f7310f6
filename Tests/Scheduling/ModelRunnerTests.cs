using Microsoft.Extensions.Logging.Abstractions;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.Models;
using OrleansSlm.Engine.Scheduling;
using static OrleansSlm.Tests.Scheduling.SchedulerRows;

namespace OrleansSlm.Tests.Scheduling;

/// <summary>The runner against a scripted decoder: where each row's logits land, and which rows a failed run fails.</summary>
public sealed class ModelRunnerTests
{
    [Fact]
    public void Prefill_rows_take_the_first_logits_rows_and_the_decode_rows_the_next_ones()
    {
        var decoder = new ScriptedDecoder();
        var runner = new ModelRunner(decoder, slots: 4, new InferenceMetrics("test-model", "test"), NullLogger.Instance);
        var decodeA = Admitted(promptTokens: 2, cached: 3);
        var decodeB = Admitted(promptTokens: 2, cached: 5);
        var admitted = Request(promptTokens: 6);
        var partial = Admitted(promptTokens: 9, cached: 2);

        var plan = new StepPlan([], [], [admitted], [new PrefillWork(partial, 3), new PrefillWork(admitted, 6)], [decodeA, decodeB]);
        var prefilled = runner.RunPrefills(plan);
        var decoded = runner.RunDecodes(plan);

        Assert.Equal((2, 1), (prefilled.Runs, decoded.Runs));
        Assert.Equal([(partial, (int?)null), (admitted, 1)], prefilled.Rows.Select(row => (row.Row, row.LogitsRow)));
        Assert.Equal([(decodeA, (int?)2), (decodeB, 3)], decoded.Rows.Select(row => (row.Row, row.LogitsRow)));
        // The scripted decoder writes each run's first token id into its rows' logits; the decode left the prefill rows' logits alone.
        Assert.Equal(1f, prefilled.Logits(prefilled.Rows[1])[0]);
        Assert.Equal(decodeA.NextToken, decoded.Logits(decoded.Rows[0])[0]);
        Assert.Equal((4, 6, 5, 6), (decodeA.CachedTokens, decodeB.CachedTokens, partial.CachedTokens, admitted.CachedTokens));
        Assert.NotNull(admitted.Sequence);
    }

    [Fact]
    public void A_decode_run_that_throws_fails_its_rows_and_no_prefill_row_of_the_step()
    {
        var decoder = new ScriptedDecoder { FailDecode = true };
        var runner = new ModelRunner(decoder, slots: 3, new InferenceMetrics("test-model", "test"), NullLogger.Instance);
        var decodeA = Admitted(promptTokens: 2, cached: 3);
        var decodeB = Admitted(promptTokens: 2, cached: 3);
        var prefill = Admitted(promptTokens: 2, cached: 0);

        var plan = new StepPlan([], [], [], [new PrefillWork(prefill, 2)], [decodeA, decodeB]);
        var prefilled = runner.RunPrefills(plan);
        var decoded = runner.RunDecodes(plan);

        Assert.All(decoded.Rows, row => Assert.Contains("decode failed", row.Error!.Message));
        Assert.Equal([decodeA, decodeB], decoded.Rows.Select(row => row.Row));
        Assert.Equal((prefill, (int?)0, (Exception?)null), (prefilled.Rows[0].Row, prefilled.Rows[0].LogitsRow, prefilled.Rows[0].Error));
        Assert.Equal(3, decodeA.CachedTokens);
    }

    /// <summary>Writes each run's first token id as logit 0 of every row it ran; can be told to fail its decode runs.</summary>
    private sealed class ScriptedDecoder : IDecoder
    {
        public bool FailDecode { get; init; }

        public ModelDescription Description { get; } = Engine.TinyModel.Description with { VocabSize = Vocab };

        public int MaxSequenceLength => 64;

        public IDecoderSequence StartSequence() => new ScriptedSequence();

        public void DecodeBatch(IReadOnlyList<IDecoderSequence> rows, ReadOnlySpan<int> tokens, Memory<float> logits)
        {
            if (FailDecode)
            {
                throw new InvalidOperationException("decode failed");
            }

            for (var row = 0; row < rows.Count; row++)
            {
                logits.Span[row * Vocab] = tokens[row];
            }
        }

        public void Dispose()
        {
        }
    }

    private sealed class ScriptedSequence : IDecoderSequence
    {
        public int Length { get; private set; }

        public int VocabSize => Vocab;

        public void Append(ReadOnlySpan<int> tokens, Memory<float> logits)
        {
            logits.Span[0] = tokens[0];
            Length += tokens.Length;
        }

        public void Dispose()
        {
        }
    }
}
