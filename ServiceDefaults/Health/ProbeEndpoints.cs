using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansSlm.ServiceDefaults.Health;

public static class ProbeEndpoints
{
    public const string DetailsPath = "/readyz/details";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Maps <c>/healthz</c> (liveness: the process only), <c>/readyz</c> (the latest background readiness report:
    /// healthy or not, and the names of failed checks) and <c>/readyz/details</c> (each check's description and
    /// duration, which name silos and loads: a frontend guards it with the API key like any route but the probes).
    /// </summary>
    public static IEndpointRouteBuilder MapProbes(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(HealthTags.Live),
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status200OK },
            ResponseWriter = (context, report) => WriteAsync(context, new ProbeBody(
                report.Status == HealthStatus.Unhealthy ? "unhealthy" : "healthy",
                report.Entries.Where(entry => entry.Value.Status == HealthStatus.Unhealthy).Select(entry => entry.Key).Order().ToList())),
        }).WithDisplayName("Liveness probe");
        endpoints.MapGet("/readyz", (HttpContext context, ReadinessMonitor monitor) => WriteReadyAsync(context, monitor.Latest, detailed: false))
            .WithDisplayName("Readiness probe").ExcludeFromDescription();
        endpoints.MapGet(DetailsPath, (HttpContext context, ReadinessMonitor monitor) => WriteReadyAsync(context, monitor.Latest, detailed: true))
            .WithDisplayName("Readiness details").ExcludeFromDescription();
        return endpoints;
    }

    private static Task WriteReadyAsync(HttpContext context, ReadinessReport? report, bool detailed)
    {
        context.Response.StatusCode = report is { Healthy: true } ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        if (report is null)
        {
            return WriteAsync(context, new ProbeBody("starting", []));
        }

        var status = report.Healthy ? "healthy" : "unhealthy";
        return detailed
            ? WriteAsync(context, new ProbeDetails(
                status,
                report.Failed,
                report.CheckedAt,
                report.Checks.ToDictionary(
                    check => check.Name,
                    check => new CheckDetails(check.Status.ToString().ToLowerInvariant(), check.Description, Math.Round(check.Duration.TotalMilliseconds, 1)))))
            : WriteAsync(context, new ProbeBody(status, report.Failed));
    }

    private static Task WriteAsync<T>(HttpContext context, T body)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonOptions));
    }

    private sealed record ProbeBody(string Status, IReadOnlyList<string> Failed);

    private sealed record ProbeDetails(string Status, IReadOnlyList<string> Failed, DateTimeOffset CheckedAt, Dictionary<string, CheckDetails> Checks);

    private sealed record CheckDetails(string Status, string? Description, double DurationMs);
}
