namespace OrleansSlm.Engine.Scheduling;

/// <summary>The waiting queue is full: the request was turned away at once and may be retried after <see cref="RetryAfter"/>.</summary>
public sealed class EngineOverloadedException(int waiting, TimeSpan retryAfter)
    : Exception($"The model is busy: {waiting} requests are already waiting (Model:MaxQueue). Retry after {retryAfter.TotalSeconds:F0} s.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
