using Microsoft.Extensions.Logging.Abstractions;
using OrleansSlm.Engine.Sampling;
using OrleansSlm.Engine.Scheduling;
using static OrleansSlm.Tests.Scheduling.SchedulerRows;

namespace OrleansSlm.Tests.Scheduling;

/// <summary>The update step on logits the test writes: sampling, stop conditions, chunks, retirement and fault boundaries, with no model.</summary>
public sealed class StepUpdaterTests
{
    private readonly InferenceMetrics _metrics = new("test-model", "test");
    private readonly StepUpdater _updater;

    public StepUpdaterTests() => _updater = new StepUpdater(capacity: 64, _metrics, NullLogger.Instance);

    [Fact]
    public void Each_row_samples_its_own_row_of_logits_and_streams_its_token_with_the_counts()
    {
        var first = Admitted(promptTokens: 3, cached: 4);
        var second = Admitted(promptTokens: 5, cached: 6);
        var ended = Update(Plan(decodes: [first, second]), Logits(7, 9), (first, 0), (second, 1));

        Assert.Empty(ended);
        Assert.Equal(new OrleansSlm.Engine.Decoding.GeneratedChunk(7, "<7>", null, 3, 1), Assert.Single(Chunks(first)));
        Assert.Equal(new OrleansSlm.Engine.Decoding.GeneratedChunk(9, "<9>", null, 5, 1), Assert.Single(Chunks(second)));
        Assert.Equal(7, first.NextToken);
    }

    [Fact]
    public void A_row_whose_sampling_throws_ends_alone_with_an_error_while_the_other_rows_of_the_step_carry_on()
    {
        var before = Admitted(promptTokens: 2, cached: 3, maxTokens: 2);
        var poisoned = Admitted(promptTokens: 2, cached: 3, sampler: new ThrowingSampler());
        var after = Admitted(promptTokens: 2, cached: 3, maxTokens: 2);
        var poisonedSequence = (RecordingSequence)poisoned.Sequence!;

        var ended = Update(Plan(decodes: [before, poisoned, after]), Logits(4, 5, 6), (before, 0), (poisoned, 1), (after, 2));

        Assert.Equal([poisoned], ended);
        Assert.Equal(FinishReason.Error, poisoned.Finish);
        var error = Assert.Throws<AggregateException>(() => poisoned.Output.Completion.Wait(TimeSpan.FromSeconds(5))).InnerException;
        Assert.Contains("poisoned row", error!.Message);
        // The request's own fault: the grain reports it as such, and the frontend does not send it to another silo.
        Assert.IsType<RequestFailedException>(error);
        Assert.True(poisonedSequence.Disposed);

        // The neighbours got their tokens and, one step later, their normal ending.
        Assert.Equal(4, Assert.Single(Chunks(before)).TokenId);
        Assert.Equal(6, Assert.Single(Chunks(after)).TokenId);
        before.Advance(1);
        after.Advance(1);
        var next = Update(Plan(decodes: [before, after]), Logits(8, 9), (before, 0), (after, 1));
        Assert.Equal([before, after], next);
        Assert.Equal([FinishReason.Length, FinishReason.Length], new[] { before.Finish, after.Finish });
        Assert.Equal(["<8>", ""], Chunks(before).Select(chunk => chunk.Text));
    }

    [Fact]
    public void A_failed_model_run_fails_the_rows_it_ran_and_no_other()
    {
        var decoded = Admitted(promptTokens: 2, cached: 3);
        var prefilled = Admitted(promptTokens: 2, cached: 2);
        var runFailure = new InvalidOperationException("The model failed while generating: boom");
        var output = new StepOutput(Logits(0, 3), Vocab);
        output.Add(new RowOutput(decoded, null, runFailure));
        output.Add(new RowOutput(prefilled, 1));

        var ended = new List<ScheduledRequest>();
        _updater.Apply(output, ended);
        _updater.Finish(Plan(decodes: [decoded], prefills: [new PrefillWork(prefilled, 1)]), ended);

        Assert.Equal([decoded], ended);
        Assert.Same(runFailure, decoded.Output.Completion.Exception!.InnerException);
        Assert.Equal(3, Assert.Single(Chunks(prefilled)).TokenId);
        Assert.False(prefilled.IsFinished);
    }

    [Fact]
    public void An_end_of_sequence_token_retires_the_row_with_stop_and_frees_its_slot()
    {
        var row = Admitted(promptTokens: 2, cached: 3);
        var sequence = (RecordingSequence)row.Sequence!;

        var ended = Update(Plan(decodes: [row]), Logits(Eos), (row, 0));

        Assert.Equal([row], ended);
        var last = Assert.Single(Chunks(row));
        Assert.Equal((null, FinishReason.Stop, 0), (last.TokenId, last.FinishReason, last.CompletionTokens));
        Assert.True(sequence.Disposed);
        Assert.Null(row.Sequence);
    }

    [Fact]
    public void The_token_limit_retires_the_row_with_length_after_its_last_token()
    {
        var row = Admitted(promptTokens: 2, cached: 3, maxTokens: 1);

        Update(Plan(decodes: [row]), Logits(5), (row, 0));

        Assert.Equal([(5, (FinishReason?)null), (null, FinishReason.Length)], Chunks(row).Select(chunk => (chunk.TokenId, chunk.FinishReason)));
    }

    [Fact]
    public void A_stop_string_ends_the_row_and_holds_back_its_text()
    {
        var row = Admitted(promptTokens: 2, cached: 3, stop: ["<5>"]);

        Update(Plan(decodes: [row]), Logits(5), (row, 0));

        var chunk = Assert.Single(Chunks(row));
        Assert.Equal(("", FinishReason.Stop), (chunk.Text, chunk.FinishReason));
    }

    [Fact]
    public void A_row_whose_prompt_is_still_prefilling_emits_nothing()
    {
        var row = Admitted(promptTokens: 8, cached: 4);

        var ended = Update(Plan(prefills: [new PrefillWork(row, 4)]), Logits(3), (row, null));

        Assert.Empty(ended);
        Assert.Empty(Chunks(row));
    }

    [Fact]
    public void Cancelled_rows_and_dropped_requests_end_as_cancelled_and_only_rows_give_a_slot_back()
    {
        var cancelled = Admitted(promptTokens: 2, cached: 3);
        var dropped = Request(2);

        var plan = new StepPlan([cancelled], [dropped], [], [], []);
        var ended = new List<ScheduledRequest>();
        _updater.Drop(plan);
        _updater.Finish(plan, ended);

        Assert.Equal([cancelled], ended);
        Assert.Equal(FinishReason.Cancelled, Assert.Single(Chunks(cancelled)).FinishReason);
        Assert.Equal(FinishReason.Cancelled, Assert.Single(Chunks(dropped)).FinishReason);
    }

    [Fact]
    public void A_row_is_retired_once_whichever_path_ends_it()
    {
        var row = Admitted(promptTokens: 2, cached: 3, maxTokens: 1);
        var sequence = (RecordingSequence)row.Sequence!;

        var ended = Update(Plan(decodes: [row]), Logits(5), (row, 0));
        _updater.Retire(row);

        Assert.Equal([row], ended);
        Assert.True(sequence.Disposed);
        Assert.Equal(1, _metrics.Summary.RequestsFinished);
        Assert.False(row.TryRetire());
    }

    private List<ScheduledRequest> Update(StepPlan plan, float[] logits, params (ScheduledRequest Row, int? LogitsRow)[] rows)
    {
        var output = new StepOutput(logits, Vocab);
        foreach (var (row, logitsRow) in rows)
        {
            output.Add(new RowOutput(row, logitsRow));
        }

        var ended = new List<ScheduledRequest>();
        _updater.Apply(output, ended);
        _updater.Finish(plan, ended);
        return ended;
    }

    private static StepPlan Plan(IReadOnlyList<ScheduledRequest>? decodes = null, IReadOnlyList<PrefillWork>? prefills = null) =>
        new([], [], [], prefills ?? [], decodes ?? []);
}
