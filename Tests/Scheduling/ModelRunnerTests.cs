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
    public void Each_run_writes_its_rows_logits_in_order_and_advances_their_caches()
    {
        var runner = new ModelRunner(new ScriptedDecoder(), slots: 4, new InferenceMetrics("test-model", "test"), NullLogger.Instance);
        var decodeA = Admitted(promptTokens: 2, cached: 3);
        var decodeB = Admitted(promptTokens: 2, cached: 5);
        var admitted = Request(promptTokens: 6);
        var partial = Admitted(promptTokens: 9, cached: 2);
        var plan = new StepPlan([], [], [admitted], [new PrefillWork(partial, 3), new PrefillWork(admitted, 6)], [decodeA, decodeB]);

        Assert.Empty(runner.Admit(plan).Rows);
        Assert.NotNull(admitted.Sequence);
        var partialRun = runner.RunPrefill(plan.Prefills[0]);
        Assert.Equal([(partial, (int?)null)], partialRun.Rows.Select(row => (row.Row, row.LogitsRow)));
        var admittedRun = runner.RunPrefill(plan.Prefills[1]);
        // The scripted decoder writes each run's first token id as logit 0 of its rows.
        Assert.Equal([(admitted, (int?)0)], admittedRun.Rows.Select(row => (row.Row, row.LogitsRow)));
        Assert.Equal(1f, admittedRun.Logits(admittedRun.Rows[0])[0]);
        var decoded = runner.RunDecodes(plan);

        Assert.Equal((1, 1, 1), (partialRun.Runs, admittedRun.Runs, decoded.Runs));
        Assert.Equal([(decodeA, (int?)0), (decodeB, 1)], decoded.Rows.Select(row => (row.Row, row.LogitsRow)));
        Assert.Equal(decodeB.NextToken, decoded.Logits(decoded.Rows[1])[0]);
        Assert.Equal((4, 6, 5, 6), (decodeA.CachedTokens, decodeB.CachedTokens, partial.CachedTokens, admitted.CachedTokens));
    }

    [Fact]
    public void A_row_that_ended_at_its_first_token_is_left_out_of_the_decode()
    {
        var runner = new ModelRunner(new ScriptedDecoder(), slots: 2, new InferenceMetrics("test-model", "test"), NullLogger.Instance);
        var decoding = Admitted(promptTokens: 2, cached: 3);
        var endedAtFirstToken = Admitted(promptTokens: 2, cached: 2);
        endedAtFirstToken.Close(OrleansSlm.Engine.Sampling.FinishReason.Stop);

        var decoded = runner.RunDecodes(new StepPlan([], [], [], [], [decoding, endedAtFirstToken]));

        Assert.Equal([decoding], decoded.Rows.Select(row => row.Row));
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
        var prefilled = runner.RunPrefill(plan.Prefills[0]);
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
