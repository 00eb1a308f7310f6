using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansSlm.ServiceDefaults.Health;

/// <summary>One background run of the readiness checks.</summary>
public sealed record ReadinessReport(DateTimeOffset CheckedAt, IReadOnlyList<CheckOutcome> Checks)
{
    /// <summary>The name under which a run that overran its time is reported, since no single check can be named.</summary>
    public const string TimedOutName = "timeout";

    public IReadOnlyList<string> Failed { get; } = Checks.Where(check => check.Status == HealthStatus.Unhealthy).Select(check => check.Name).Order().ToList();

    public bool Healthy => Failed.Count == 0;

    public static ReadinessReport From(HealthReport report, DateTimeOffset checkedAt) => new(
        checkedAt,
        report.Entries.Select(entry => new CheckOutcome(entry.Key, entry.Value.Status, entry.Value.Description, entry.Value.Duration)).ToList());

    public static ReadinessReport TimedOut(TimeSpan limit, DateTimeOffset checkedAt) => new(
        checkedAt,
        [new CheckOutcome(TimedOutName, HealthStatus.Unhealthy, $"the readiness checks did not finish within {limit.TotalSeconds:0} s", limit)]);
}

public sealed record CheckOutcome(string Name, HealthStatus Status, string? Description, TimeSpan Duration);
