using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansSlm.ServiceDefaults.Health;

/// <summary>
/// Runs the readiness checks in the background and keeps the latest report, so a probe, however often it is called
/// and by whom, costs no database connection, cluster round trip or grain activation.
/// </summary>
public sealed class ReadinessMonitor(HealthCheckService health, IOptions<ProbeOptions> options, TimeProvider clock, ILogger<ReadinessMonitor> logger)
    : BackgroundService
{
    /// <summary>Each check bounds its own wait; this bounds a check that does not, so the report never stops moving.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FailingRefresh = TimeSpan.FromSeconds(1);

    // Swapped whole, so a probe never reads half of an update.
    private volatile ReadinessReport? _latest;

    /// <summary>The latest report; null until the first run has finished.</summary>
    public ReadinessReport? Latest => _latest;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var passingRefresh = TimeSpan.FromSeconds(options.Value.ReadyRefreshSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var report = await RunOnceAsync(stoppingToken);
            if (report is null)
            {
                return;
            }

            LogTransition(_latest, report);
            _latest = report;
            try
            {
                await Task.Delay(report.Healthy ? passingRefresh : FailingRefresh, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<ReadinessReport?> RunOnceAsync(CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(RunTimeout);
        try
        {
            var report = await health.CheckHealthAsync(registration => registration.Tags.Contains(HealthTags.Ready), timeout.Token);
            return ReadinessReport.From(report, clock.GetUtcNow());
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return ReadinessReport.TimedOut(RunTimeout, clock.GetUtcNow());
        }
    }

    /// <summary>The details stay in the log, where the operator looks, instead of in an anonymous probe's answer.</summary>
    private void LogTransition(ReadinessReport? previous, ReadinessReport current)
    {
        if (previous is not null && previous.Failed.SequenceEqual(current.Failed))
        {
            return;
        }

        if (current.Healthy)
        {
            logger.LogInformation("Ready: every readiness check passes");
            return;
        }

        foreach (var check in current.Checks.Where(check => check.Status == HealthStatus.Unhealthy))
        {
            logger.LogWarning("Not ready: check {Check} failed: {Description}", check.Name, check.Description);
        }
    }
}
