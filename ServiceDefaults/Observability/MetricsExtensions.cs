using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace OrleansSlm.ServiceDefaults.Observability;

/// <summary>OpenTelemetry metrics, scraped by Prometheus from <c>/metrics</c> on every frontend and silo.</summary>
public static class MetricsExtensions
{
    public const string Path = "/metrics";

    /// <summary>
    /// Instruments of this service created on Orleans' meter for the Orleans Dashboard, which shows no other meter.
    /// They repeat what the service's own meters export, so <c>/metrics</c> drops them.
    /// </summary>
    public const string DashboardInstrumentPrefix = "orleansslm-";

    private const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// The meters exported. The wildcard takes every meter of this service, <c>OrleansSlm.Inference</c> included,
    /// without a change here when a component adds one.
    /// </summary>
    private static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        OrleansMeter,
        "System.Runtime",
        "OrleansSlm*",
    ];

    public static IHostApplicationBuilder AddOrleansSlmMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddView(instrument => instrument.Meter.Name == OrleansMeter && instrument.Name.StartsWith(DashboardInstrumentPrefix, StringComparison.Ordinal)
                    ? MetricStreamConfiguration.Drop
                    : null)
                .AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// Maps the scrape endpoint. Scrapes are left out of the request metrics so that the per-route numbers count
    /// only the traffic the service exists for.
    /// </summary>
    public static IEndpointConventionBuilder MapOrleansSlmMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(Path).DisableHttpMetrics();
}
