namespace OrleansSlm.Bench;

/// <summary>Nearest-rank percentiles: always one of the measured samples, never an interpolation between two.</summary>
internal static class Percentiles
{
    /// <summary>The smallest sample with at least <paramref name="percent"/> % of the samples at or below it; null when there are none.</summary>
    public static double? NearestRank(IReadOnlyList<double> sorted, int percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.Count == 0)
        {
            return null;
        }

        // Integer arithmetic: ceil(p / 100 · n) in floating point turns 0.95 · 20 into 19.000000000000004 and picks rank 20.
        var rank = ((percent * sorted.Count) + 99) / 100;
        return sorted[rank - 1];
    }
}
