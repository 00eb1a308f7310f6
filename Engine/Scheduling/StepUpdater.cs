using Microsoft.Extensions.Logging;
using OrleansSlm.Engine.Sampling;

namespace OrleansSlm.Engine.Scheduling;

/// <summary>
/// The update step: turns what the runner produced into each request's output. Each row with logits samples its
/// next token, checks its stop conditions, detokenises and emits a chunk; a row whose run failed ends with its error;
/// cancelled and dropped requests end as cancelled. Every request that ended gives its KV cache slot back. Each row is
/// its own fault boundary: if sampling or emitting throws for one row, that request ends with an error and the
/// other rows of the step carry on.
/// </summary>
internal sealed class StepUpdater(int capacity, InferenceMetrics metrics, ILogger logger)
{
    /// <summary>Streams each row's next token, or ends the row with its run's error; adds the rows that ended to <paramref name="ended"/>.</summary>
    public void Apply(StepOutput output, List<ScheduledRequest> ended)
    {
        foreach (var result in output.Rows)
        {
            var row = result.Row;
            if (result.Error is { } error)
            {
                row.Fail(error);
                ended.Add(row);
            }
            else if (result.LogitsRow is not null && Accept(row, output.Logits(result)))
            {
                ended.Add(row);
            }
        }
    }

    /// <summary>Ends the waiting requests the plan took out of the queue because they were cancelled; call it as soon as the plan is made.</summary>
    public void Drop(StepPlan plan)
    {
        foreach (var request in plan.Dropped)
        {
            request.EndCancelled();
            metrics.Retired(FinishReason.Cancelled, request.SinceArrival, admitted: false);
        }
    }

    /// <summary>
    /// Closes the step: ends the plan's cancelled rows as cancelled, then gives back the KV cache slot of every row in
    /// <paramref name="ended"/> (the cancelled ones included) and counts it as finished.
    /// </summary>
    public void Finish(StepPlan plan, List<ScheduledRequest> ended)
    {
        foreach (var row in plan.Cancelled)
        {
            row.EndCancelled();
            ended.Add(row);
        }

        foreach (var row in ended)
        {
            Retire(row);
        }
    }

    /// <summary>Frees a running row's slot and counts how it ended, once, whatever ended it.</summary>
    public void Retire(ScheduledRequest row)
    {
        if (row.TryRetire())
        {
            metrics.Retired(row.Finish ?? FinishReason.Error, row.SinceArrival, admitted: true);
        }
    }

    /// <summary>True when the row ended, normally or because its own token could not be produced.</summary>
    private bool Accept(ScheduledRequest row, ReadOnlySpan<float> logits)
    {
        try
        {
            return row.Accept(logits, capacity, metrics);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            logger.LogError(exception, "Choosing or emitting a request's next token failed; ending that request alone");
            row.Fail(new RequestFailedException($"Generating the next token failed: {exception.Message}", exception));
            return true;
        }
    }
}
