namespace OrleansSlm.Engine.Scheduling;

/// <summary>
/// What one scheduler step does, decided before anything runs: running rows to end as cancelled, waiting requests
/// to drop (cancelled before they got a slot), waiting requests admitted into free slots, prompt tokens to prefill per
/// row (admitted rows included), and the rows that decode one token each, in slot order. A row whose prefill
/// completes its prompt is in both: it prefills, then decodes in the same step.
/// </summary>
internal sealed record StepPlan(
    IReadOnlyList<ScheduledRequest> Cancelled,
    IReadOnlyList<ScheduledRequest> Dropped,
    IReadOnlyList<ScheduledRequest> Admitted,
    IReadOnlyList<PrefillWork> Prefills,
    IReadOnlyList<ScheduledRequest> Decodes)
{
    /// <summary>Nothing to run and nothing to end: the loop may sleep until woken.</summary>
    public bool IsEmpty => Cancelled.Count == 0 && Dropped.Count == 0 && Prefills.Count == 0 && Decodes.Count == 0;
}

/// <summary>The next <paramref name="Tokens"/> prompt tokens of <paramref name="Row"/>, prefilled in one model run.</summary>
internal readonly record struct PrefillWork(ScheduledRequest Row, int Tokens);
