namespace OrleansSlm.Engine.Scheduling;

/// <summary>
/// The scheduling policy, and nothing else: from the running rows and the waiting queue it decides one step. It runs
/// nothing and changes nothing, so it is tested on requests alone.
/// <list type="number">
/// <item>Running rows that were cancelled end (their slots are free from the next step on); waiting requests that
/// were cancelled are dropped.</item>
/// <item>At most <c>prefillBudget</c> prompt tokens are prefilled per step (<c>Model:PrefillChunk</c>): rows admitted
/// earlier whose prompt is not in the cache yet go first, in admission order, then waiting requests are admitted in
/// arrival order while a slot is free and budget is left. A long prompt is spread over steps, so the running
/// streams wait for one chunk at most.</item>
/// <item>Every row whose prompt is in the cache decodes one token, and so does a row whose prefill completes in
/// this step: its first token comes from the prefill, its second from the decode that follows in the same step
/// (unless the first ended it). A token whose text is held back (part of a UTF-8 character) then costs the caller no
/// extra step. Rows stay in admission order, which is their slot order, so the batch is one run.</item>
/// </list>
/// </summary>
internal sealed class StepPlanner
{
    private readonly int _slots;
    private readonly int _prefillBudget;

    public StepPlanner(int slots, int prefillBudget)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(prefillBudget, 1);
        _slots = slots;
        _prefillBudget = prefillBudget;
    }

    public StepPlan Plan(IReadOnlyList<ScheduledRequest> running, IReadOnlyList<ScheduledRequest> waiting)
    {
        var cancelled = new List<ScheduledRequest>();
        var prefills = new List<PrefillWork>();
        var decodes = new List<ScheduledRequest>();
        var budget = _prefillBudget;
        var live = 0;
        foreach (var row in running)
        {
            if (row.IsFinished)
            {
                continue;
            }

            // A cancelled row still holds its slot until the update step of this step frees it, so it counts as taken.
            live++;
            if (row.IsCancelled)
            {
                cancelled.Add(row);
                continue;
            }

            if (row.IsPrefilled)
            {
                decodes.Add(row);
            }
            else if (budget > 0)
            {
                Prefill(row, ref budget, prefills, decodes);
            }
        }

        var dropped = new List<ScheduledRequest>();
        var admitted = new List<ScheduledRequest>();
        var freeSlots = _slots - live;
        foreach (var request in waiting)
        {
            if (request.IsCancelled)
            {
                dropped.Add(request);
            }
            else if (freeSlots > 0 && budget > 0)
            {
                // Slots and budget only shrink: once one request cannot be admitted, none behind it is, so arrival order holds.
                admitted.Add(request);
                Prefill(request, ref budget, prefills, decodes);
                freeSlots--;
            }
        }

        return new StepPlan(cancelled, dropped, admitted, prefills, decodes);
    }

    private static void Prefill(ScheduledRequest row, ref int budget, List<PrefillWork> prefills, List<ScheduledRequest> decodes)
    {
        var tokens = Math.Min(budget, row.RemainingPrompt);
        prefills.Add(new PrefillWork(row, tokens));
        budget -= tokens;
        if (tokens == row.RemainingPrompt)
        {
            decodes.Add(row);
        }
    }
}
