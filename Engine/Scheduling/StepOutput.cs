namespace OrleansSlm.Engine.Scheduling;

/// <summary>
/// What one run of the runner returns: for each row it ran, the row of logits to sample from (none while its prompt
/// is still being prefilled) or the error its model run threw. The logits live in the runner's buffer and are valid
/// until the runner's next run.
/// </summary>
internal sealed class StepOutput(ReadOnlyMemory<float> logits, int vocabSize)
{
    private readonly List<RowOutput> _rows = [];

    public IReadOnlyList<RowOutput> Rows => _rows;

    /// <summary>Model runs behind this output: one for a prefill chunk or the batched decode, none when nothing ran.</summary>
    public int Runs { get; set; }

    public ReadOnlySpan<float> Logits(RowOutput row) =>
        row.LogitsRow is { } index ? logits.Span.Slice(index * vocabSize, vocabSize) : throw new InvalidOperationException("The row produced no logits this step.");

    public void Add(RowOutput row) => _rows.Add(row);
}

/// <summary>One row's result: <see cref="LogitsRow"/> is its row of the step's logits when it has a token to sample.</summary>
internal readonly record struct RowOutput(ScheduledRequest Row, int? LogitsRow, Exception? Error = null);
