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
/// <item>Every row whose prompt is in the cache decodes one token. A row whose prefill completes in this step gets
/// its first token from that prefill and decodes from the next step on.</item>
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
                var tokens = Math.Min(budget, row.RemainingPrompt);
                prefills.Add(new PrefillWork(row, tokens));
                budget -= tokens;
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
                var tokens = Math.Min(budget, request.PromptLength);
                admitted.Add(request);
                prefills.Add(new PrefillWork(request, tokens));
                budget -= tokens;
                freeSlots--;
            }
        }

        return new StepPlan(cancelled, dropped, admitted, prefills, decodes);
    }
}
