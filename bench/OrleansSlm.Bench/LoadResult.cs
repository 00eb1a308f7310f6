namespace OrleansSlm.Bench;

/// <summary>One run, as written to <c>--json</c> and read back by the <c>ratio</c> mode.</summary>
internal sealed record LoadResult(RunDescription Run, LoadMetrics Metrics);
