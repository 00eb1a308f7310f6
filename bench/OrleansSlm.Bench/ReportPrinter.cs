using System.Globalization;

namespace OrleansSlm.Bench;

/// <summary>The console report: a human summary of each run, and markdown rows in the shape of docs/benchmarks.md's tables.</summary>
internal static class ReportPrinter
{
    public static void Summary(LoadResult result)
    {
        var run = result.Run;
        var metrics = result.Metrics;
        Console.WriteLine();
        Console.WriteLine($"{run.PathLabel}: {run.Model}, {run.Precision ?? "server's precision"}, {run.Endpoint}" +
                          (run.Threads is { } threads ? $", threads {(threads == 0 ? "one per core" : threads)}" : "") +
                          (run.MaxBatch is { } slots ? $", {slots} KV slot{(slots == 1 ? "" : "s")}" : ""));
        Console.WriteLine($"  load          {run.Load.Describe()}; prompt: {run.Prompt}");
        Console.WriteLine($"  machine       {run.Processors} processors, load average {Number(run.LoadAverage, "F2")} at the start");
        Console.WriteLine($"  requests      {metrics.Succeeded} ok, {metrics.Errors.Total} failed ({metrics.Errors}) in {metrics.WallSeconds:F2} s");
        foreach (var error in metrics.FirstErrors)
        {
            Console.WriteLine($"                first {error}");
        }

        Console.WriteLine($"  throughput    {metrics.TokensPerSecond:F1} generated tokens/s, {metrics.RequestsPerSecond:F2} requests/s");
        Console.WriteLine($"  per request   {Number(metrics.PromptTokensMean, "F1")} prompt tokens, {metrics.CompletionTokensMean:F1} generated tokens (means)");
        Console.WriteLine($"  TTFT          {Latency(metrics.TimeToFirstTokenMs)}");
        Console.WriteLine($"  inter-token   {Latency(metrics.InterTokenMs)}");
        Console.WriteLine($"  request       {Latency(metrics.RequestMs)}");
    }

    public static void Row(LoadResult result)
    {
        var run = result.Run;
        var metrics = result.Metrics;
        Console.WriteLine();
        Console.WriteLine("| path | model | precision | streams | prompt tokens | generated / request | requests ok | tokens/s | requests/s | TTFT p50 ms | TTFT p95 ms | TTFT p99 ms | ITL p50 ms | ITL p99 ms | errors |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| {run.PathLabel} | {run.Model} | {run.Precision ?? "—"} | {run.Load.Concurrency} | {Number(metrics.PromptTokensMean, "F0")} | " +
                          $"{metrics.CompletionTokensMean:F0} | {metrics.Succeeded} | {metrics.TokensPerSecond:F1} | {metrics.RequestsPerSecond:F2} | " +
                          $"{Number(metrics.TimeToFirstTokenMs.P50, "F0")} | {Number(metrics.TimeToFirstTokenMs.P95, "F0")} | {Number(metrics.TimeToFirstTokenMs.P99, "F0")} | " +
                          $"{Number(metrics.InterTokenMs.P50, "F1")} | {Number(metrics.InterTokenMs.P99, "F1")} | {metrics.Errors.Total} |");
    }

    public static void Comparison(Comparison comparison, LoadResult subject, LoadResult baseline)
    {
        var (s, b) = (comparison.Subject, comparison.Baseline);
        Console.WriteLine();
        Console.WriteLine($"{s} against {b}: {Number(comparison.TokensPerSecondRatio, "F2")} of the tokens/s, " +
                          $"{Number(comparison.RequestsPerSecondRatio, "F2")} of the requests/s; TTFT p50 {Signed(comparison.TimeToFirstTokenP50ExtraMs)} ms, " +
                          $"p99 {Signed(comparison.TimeToFirstTokenP99ExtraMs)} ms; inter-token p50 {Signed(comparison.InterTokenP50ExtraMs)} ms");
        foreach (var mismatch in comparison.Mismatches)
        {
            Console.WriteLine($"warning: the loads differ, so the ratio compares unlike things: {mismatch}");
        }

        var run = baseline.Run;
        Console.WriteLine();
        Console.WriteLine($"| model | precision | streams | {b} tokens/s | {s} tokens/s | {s} / {b} | {b} TTFT p50 / p99 ms | {s} TTFT p50 / p99 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"| {run.Model} | {run.Precision ?? subject.Run.Precision ?? "—"} | {run.Load.Concurrency} | {baseline.Metrics.TokensPerSecond:F1} | " +
                          $"{subject.Metrics.TokensPerSecond:F1} | {Number(comparison.TokensPerSecondRatio, "F2")} | " +
                          $"{Number(baseline.Metrics.TimeToFirstTokenMs.P50, "F0")} / {Number(baseline.Metrics.TimeToFirstTokenMs.P99, "F0")} | " +
                          $"{Number(subject.Metrics.TimeToFirstTokenMs.P50, "F0")} / {Number(subject.Metrics.TimeToFirstTokenMs.P99, "F0")} |");
    }

    private static string Latency(LatencySummary summary) => summary.Samples == 0
        ? "no samples"
        : $"p50 {Number(summary.P50, "F1")} ms, p95 {Number(summary.P95, "F1")} ms, p99 {Number(summary.P99, "F1")} ms, " +
          $"mean {Number(summary.Mean, "F1")} ms, max {Number(summary.Max, "F1")} ms ({summary.Samples} samples)";

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "—";

    private static string Signed(double? value) => value?.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) ?? "—";
}
