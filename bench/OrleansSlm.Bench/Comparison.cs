namespace OrleansSlm.Bench;

/// <summary>
/// One run against another under the same load: typically HTTP + Orleans (the subject) against the engine alone
/// (the baseline), where the throughput ratio is the share of the engine's speed the stack keeps and the extra
/// milliseconds are what it adds to each request's first token. <see cref="Mismatches"/> lists any difference in
/// the loads that makes the ratio meaningless.
/// </summary>
internal sealed record Comparison(
    string Subject,
    string Baseline,
    double? TokensPerSecondRatio,
    double? RequestsPerSecondRatio,
    double? TimeToFirstTokenP50ExtraMs,
    double? TimeToFirstTokenP99ExtraMs,
    double? InterTokenP50ExtraMs,
    IReadOnlyList<string> Mismatches)
{
    public static Comparison Of(LoadResult subject, LoadResult baseline)
    {
        var s = subject.Metrics;
        var b = baseline.Metrics;
        return new Comparison(
            subject.Run.PathLabel,
            baseline.Run.PathLabel,
            Ratio(s.TokensPerSecond, b.TokensPerSecond),
            Ratio(s.RequestsPerSecond, b.RequestsPerSecond),
            s.TimeToFirstTokenMs.P50 - b.TimeToFirstTokenMs.P50,
            s.TimeToFirstTokenMs.P99 - b.TimeToFirstTokenMs.P99,
            s.InterTokenMs.P50 - b.InterTokenMs.P50,
            FindMismatches(subject, baseline));
    }

    private static double? Ratio(double subject, double baseline) => baseline > 0 ? subject / baseline : null;

    private static List<string> FindMismatches(LoadResult subject, LoadResult baseline)
    {
        var found = new List<string>();
        void Check<T>(string what, T a, T b)
        {
            if (!EqualityComparer<T>.Default.Equals(a, b))
            {
                found.Add($"{what}: {a} vs {b}");
            }
        }

        Check("model", subject.Run.Model, baseline.Run.Model);
        if (subject.Run.Precision is not null && baseline.Run.Precision is not null)
        {
            Check("precision", subject.Run.Precision, baseline.Run.Precision);
        }

        Check("concurrency", subject.Run.Load.Concurrency, baseline.Run.Load.Concurrency);
        Check("max_tokens", subject.Run.Load.MaxTokens, baseline.Run.Load.MaxTokens);
        Check("sampling", subject.Run.Load.DescribeSampling(), baseline.Run.Load.DescribeSampling());
        // Prompt lengths vary by a token or so between requests through a tokenizer; more than that changes the prefill cost.
        if (subject.Metrics.PromptTokensMean is { } a && baseline.Metrics.PromptTokensMean is { } b && Math.Abs(a - b) > 1)
        {
            found.Add($"mean prompt tokens: {a:F1} vs {b:F1}");
        }

        if (Math.Abs(subject.Metrics.CompletionTokensMean - baseline.Metrics.CompletionTokensMean) > 0.5)
        {
            found.Add($"mean generated tokens: {subject.Metrics.CompletionTokensMean:F1} vs {baseline.Metrics.CompletionTokensMean:F1}");
        }

        return found;
    }
}
