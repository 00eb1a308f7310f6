using OrleansSlm.Engine.Scheduling;
using static OrleansSlm.Tests.Scheduling.SchedulerRows;

namespace OrleansSlm.Tests.Scheduling;

/// <summary>The scheduling policy on requests alone: no model, no threads, no clock.</summary>
public sealed class StepPlannerTests
{
    [Fact]
    public void Waiting_requests_are_admitted_in_arrival_order_while_a_slot_is_free()
    {
        var running = Admitted(promptTokens: 3, cached: 3);
        ScheduledRequest[] waiting = [Request(2), Request(2), Request(2)];

        var plan = new StepPlanner(slots: 3, prefillBudget: 128).Plan([running], waiting);

        Assert.Equal(waiting[..2], plan.Admitted);
        Assert.Equal([new PrefillWork(waiting[0], 2), new PrefillWork(waiting[1], 2)], plan.Prefills);
        // Their whole prompts fit in the budget, so they decode after it in this step, behind the running row.
        Assert.Equal([running, waiting[0], waiting[1]], plan.Decodes);
    }

    [Fact]
    public void The_prefill_budget_goes_first_to_admitted_prompts_then_to_new_ones_and_spreads_a_long_prompt_over_steps()
    {
        var halfPrefilled = Admitted(promptTokens: 10, cached: 4);
        ScheduledRequest[] waiting = [Request(5), Request(5)];

        var plan = new StepPlanner(slots: 4, prefillBudget: 8).Plan([halfPrefilled], waiting);

        // Six tokens finish the admitted prompt; two are left for the first waiting request, none for the second.
        Assert.Equal([new PrefillWork(halfPrefilled, 6), new PrefillWork(waiting[0], 2)], plan.Prefills);
        Assert.Equal([waiting[0]], plan.Admitted);
        Assert.Equal([halfPrefilled], plan.Decodes);
    }

    [Fact]
    public void A_request_waits_while_the_budget_is_spent_even_with_free_slots()
    {
        var longPrompt = Admitted(promptTokens: 300, cached: 0);

        var plan = new StepPlanner(slots: 4, prefillBudget: 128).Plan([longPrompt], [Request(2)]);

        Assert.Equal([new PrefillWork(longPrompt, 128)], plan.Prefills);
        Assert.Empty(plan.Admitted);
    }

    [Fact]
    public void Rows_whose_prompt_is_cached_or_completes_this_step_decode_and_rows_still_prefilling_do_not()
    {
        var decoding = Admitted(promptTokens: 4, cached: 6);
        var completing = Admitted(promptTokens: 4, cached: 1);
        var justPrefilled = Admitted(promptTokens: 4, cached: 4);
        var partial = Admitted(promptTokens: 10, cached: 0);

        var plan = new StepPlanner(slots: 4, prefillBudget: 5).Plan([decoding, completing, justPrefilled, partial], []);

        Assert.Equal([new PrefillWork(completing, 3), new PrefillWork(partial, 2)], plan.Prefills);
        Assert.Equal([decoding, completing, justPrefilled], plan.Decodes);
    }

    [Fact]
    public void Cancelled_rows_end_and_cancelled_waiting_requests_are_dropped_without_taking_a_slot()
    {
        var cancelledRunning = Admitted(promptTokens: 2, cached: 3);
        var running = Admitted(promptTokens: 2, cached: 3);
        var cancelledWaiting = Request(2);
        var next = Request(2);
        var cancelledBehind = Request(2);
        var last = Request(2);
        cancelledRunning.Cancel();
        cancelledWaiting.Cancel();
        cancelledBehind.Cancel();

        var plan = new StepPlanner(slots: 3, prefillBudget: 128).Plan([cancelledRunning, running], [cancelledWaiting, next, cancelledBehind, last]);

        Assert.Equal([cancelledRunning], plan.Cancelled);
        Assert.Equal([running, next], plan.Decodes);
        // The cancelled row holds its slot until this step ends: one slot is free, the first live request takes it.
        Assert.Equal([next], plan.Admitted);
        Assert.Equal([cancelledWaiting, cancelledBehind], plan.Dropped);
    }

    [Fact]
    public void Finished_rows_take_no_part_in_a_step()
    {
        var finished = Admitted(promptTokens: 2, cached: 3);
        finished.Close(OrleansSlm.Engine.Sampling.FinishReason.Length);

        var plan = new StepPlanner(slots: 1, prefillBudget: 128).Plan([finished], [Request(2)]);

        Assert.DoesNotContain(finished, plan.Decodes);
        Assert.Empty(plan.Cancelled);
        Assert.Single(plan.Admitted);
    }

    [Fact]
    public void An_idle_scheduler_plans_an_empty_step()
    {
        Assert.True(new StepPlanner(slots: 2, prefillBudget: 16).Plan([], []).IsEmpty);
    }

    [Fact]
    public void A_closed_queue_refuses_requests()
    {
        var queue = new RequestQueue(maxWaiting: 8, new InferenceMetrics("test-model", "test"));
        queue.Enqueue(Request(2), running: 0, slots: 1);

        Assert.Single(queue.Close());
        Assert.Throws<ObjectDisposedException>(() => queue.Enqueue(Request(2), running: 0, slots: 1));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void A_full_queue_turns_a_request_away_once_every_slot_is_taken_or_promised()
    {
        var queue = new RequestQueue(maxWaiting: 1, new InferenceMetrics("test-model", "test"));

        queue.Enqueue(Request(2), running: 0, slots: 2);
        queue.Enqueue(Request(2), running: 0, slots: 2);
        var rejected = Assert.Throws<EngineOverloadedException>(() => queue.Enqueue(Request(2), running: 0, slots: 2));

        Assert.Equal(2, queue.Count);
        Assert.Contains("Model:MaxQueue", rejected.Message);
        Assert.True(rejected.RetryAfter >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void The_queue_gives_up_exactly_the_requests_a_plan_admits_or_drops()
    {
        var queue = new RequestQueue(maxWaiting: 8, new InferenceMetrics("test-model", "test"));
        ScheduledRequest[] waiting = [Request(2), Request(2), Request(2)];
        waiting[1].Cancel();
        foreach (var request in waiting)
        {
            queue.Enqueue(request, running: 0, slots: 1);
        }

        var plan = queue.Plan(new StepPlanner(slots: 1, prefillBudget: 128), []);

        Assert.Equal([waiting[0]], plan.Admitted);
        Assert.Equal([waiting[1]], plan.Dropped);
        Assert.Equal([waiting[2]], queue.Close());
    }
}
