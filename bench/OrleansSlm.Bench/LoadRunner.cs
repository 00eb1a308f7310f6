using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansSlm.Bench;

/// <summary>
/// Drives a target with a <see cref="LoadProfile"/>: a closed loop of <see cref="LoadProfile.Concurrency"/>
/// clients, each sending its next request when the previous one ends, so that the target always has that many
/// streams in flight. Progress goes to standard error every few seconds.
/// </summary>
internal static class LoadRunner
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    public static async Task<LoadResult> RunAsync(ILoadTarget target, LoadProfile profile, CancellationToken cancellationToken)
    {
        var description = await target.PrepareAsync(cancellationToken);
        await Console.Error.WriteLineAsync($"measuring {description.PathLabel}: {profile.Describe()}");
        var outcomes = new ConcurrentQueue<RequestOutcome>();
        var next = -1;
        var clock = Stopwatch.StartNew();

        async Task Client()
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if ((profile.Requests is { } count && index >= count) || (profile.Duration is { } duration && clock.Elapsed >= duration))
                {
                    return;
                }

                outcomes.Enqueue(await target.SendAsync(index, cancellationToken));
            }
        }

        using var progress = new CancellationTokenSource();
        var reporter = ReportProgress(outcomes, profile, clock, progress.Token);
        await Task.WhenAll(Enumerable.Range(0, profile.Concurrency).Select(_ => Task.Run(Client, cancellationToken)));
        var wall = clock.Elapsed;
        await progress.CancelAsync();
        await reporter;
        return new LoadResult(description, LoadMetrics.Of(outcomes.ToArray(), wall));
    }

    private static async Task ReportProgress(ConcurrentQueue<RequestOutcome> outcomes, LoadProfile profile, Stopwatch clock, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(ProgressInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var done = outcomes.ToArray();
                var of = profile.Requests is { } count ? $" of {count}" : "";
                await Console.Error.WriteLineAsync(
                    $"  {clock.Elapsed.TotalSeconds,6:F1} s: {done.Length}{of} requests done, {done.Count(outcome => !outcome.Succeeded)} failed, " +
                    $"{done.Sum(outcome => outcome.CompletionTokens)} tokens");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run ended.
        }
    }
}
