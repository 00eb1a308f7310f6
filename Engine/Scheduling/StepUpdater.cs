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
    /// <summary>Applies one step's output; adds every running row that ended to <paramref name="ended"/>, its slot already released.</summary>
    public void Update(StepPlan plan, StepOutput output, List<ScheduledRequest> ended)
    {
        foreach (var request in plan.Dropped)
        {
            request.EndCancelled();
            metrics.Retired(FinishReason.Cancelled, request.SinceArrival, admitted: false);
        }

        foreach (var row in plan.Cancelled)
        {
            row.EndCancelled();
            ended.Add(row);
        }

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

        foreach (var row in ended)
        {
            row.ReleaseSlot();
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
            row.Fail(new InvalidOperationException($"Generating the next token failed: {exception.Message}", exception));
            return true;
        }
    }
}
