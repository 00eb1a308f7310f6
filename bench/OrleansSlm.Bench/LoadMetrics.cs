namespace OrleansSlm.Bench;

/// <summary>
/// The aggregate of one measured run. Throughput divides by <see cref="WallSeconds"/>, from the first request sent
/// to the last one finished; latencies come from successful requests only, inter-token gaps pooled over all of them.
/// </summary>
internal sealed record LoadMetrics(
    double WallSeconds,
    int Succeeded,
    ErrorCounts Errors,
    long GeneratedTokens,
    double TokensPerSecond,
    double RequestsPerSecond,
    double? PromptTokensMean,
    double CompletionTokensMean,
    LatencySummary TimeToFirstTokenMs,
    LatencySummary InterTokenMs,
    LatencySummary RequestMs,
    IReadOnlyList<string> FirstErrors)
{
    public static LoadMetrics Of(IReadOnlyCollection<RequestOutcome> outcomes, TimeSpan wall)
    {
        var succeeded = outcomes.Where(outcome => outcome.Succeeded).ToArray();
        var tokens = succeeded.Sum(outcome => (long)outcome.CompletionTokens);
        var prompts = succeeded.Where(outcome => outcome.PromptTokens is not null).Select(outcome => (double)outcome.PromptTokens!.Value).ToArray();
        var seconds = wall.TotalSeconds;
        return new LoadMetrics(
            seconds,
            succeeded.Length,
            ErrorCounts.Of(outcomes),
            tokens,
            seconds > 0 ? tokens / seconds : 0,
            seconds > 0 ? succeeded.Length / seconds : 0,
            prompts.Length == 0 ? null : prompts.Average(),
            succeeded.Length == 0 ? 0 : (double)tokens / succeeded.Length,
            LatencySummary.Of(succeeded.Where(outcome => outcome.TimeToFirstTokenMs is not null).Select(outcome => outcome.TimeToFirstTokenMs!.Value)),
            LatencySummary.Of(succeeded.SelectMany(outcome => outcome.InterTokenMs)),
            LatencySummary.Of(succeeded.Select(outcome => outcome.LatencyMs)),
            // One example per kind of failure is enough to say what went wrong without flooding the report.
            outcomes.Where(outcome => !outcome.Succeeded).GroupBy(outcome => outcome.Error).Select(group => $"{group.Key}: {group.First().ErrorDetail}").ToArray());
    }
}
