namespace OrleansSlm.Bench;

/// <summary>A latency distribution in milliseconds; the statistics are null when there were no samples.</summary>
internal sealed record LatencySummary(int Samples, double? Mean, double? P50, double? P95, double? P99, double? Max)
{
    public static LatencySummary Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return new LatencySummary(
            sorted.Length,
            sorted.Length == 0 ? null : sorted.Average(),
            Percentiles.NearestRank(sorted, 50),
            Percentiles.NearestRank(sorted, 95),
            Percentiles.NearestRank(sorted, 99),
            sorted.Length == 0 ? null : sorted[^1]);
    }
}
