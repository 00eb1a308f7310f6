namespace OrleansSlm.Engine.Scheduling;

/// <summary>
/// The mean of the latencies recorded since it was last taken: what the last sampling interval looked like, for views
/// that sample a value rather than scrape a histogram.
/// </summary>
public sealed class LatencyWindow
{
    private readonly Lock _lock = new();
    private double _sumMilliseconds;
    private long _count;

    internal void Record(TimeSpan latency)
    {
        lock (_lock)
        {
            _sumMilliseconds += latency.TotalMilliseconds;
            _count++;
        }
    }

    /// <summary>The mean in milliseconds since the previous call, or null when nothing was recorded since.</summary>
    public double? TakeMeanMilliseconds()
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                return null;
            }

            var mean = _sumMilliseconds / _count;
            _sumMilliseconds = 0;
            _count = 0;
            return mean;
        }
    }
}
