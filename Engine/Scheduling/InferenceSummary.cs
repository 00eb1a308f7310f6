namespace OrleansSlm.Engine.Scheduling;

/// <summary>
/// One scheduler's running totals and recent latency means: the same numbers as its instruments, kept where a view
/// that samples them (the Orleans Dashboard's silo counters) can read them directly.
/// </summary>
public sealed class InferenceSummary
{
    private long _promptTokens;
    private long _generatedTokens;
    private long _requestsFinished;
    private long _requestsRejected;

    public long PromptTokens => Interlocked.Read(ref _promptTokens);

    public long GeneratedTokens => Interlocked.Read(ref _generatedTokens);

    public long RequestsFinished => Interlocked.Read(ref _requestsFinished);

    public long RequestsRejected => Interlocked.Read(ref _requestsRejected);

    public LatencyWindow QueueTime { get; } = new();

    public LatencyWindow TimeToFirstToken { get; } = new();

    public LatencyWindow InterTokenLatency { get; } = new();

    public LatencyWindow RequestDuration { get; } = new();

    internal void Prefilled(int tokens) => Interlocked.Add(ref _promptTokens, tokens);

    internal void TokenGenerated() => Interlocked.Increment(ref _generatedTokens);

    internal void Finished() => Interlocked.Increment(ref _requestsFinished);

    internal void Rejected() => Interlocked.Increment(ref _requestsRejected);
}
