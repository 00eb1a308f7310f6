using OrleansSlm.Frontend.Security;
using OrleansSlm.ServiceDefaults.Observability;

namespace OrleansSlm.Frontend.Observability;

public static class ObservabilityExtensions
{
    /// <summary>The metrics pipeline; the dashboard's services come with the Orleans silo or client of the mode.</summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.AddOrleansSlmMetrics();
        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> and <c>/dashboard</c> (with its sign-in form), behind the request guards like every API route.
    /// They are operator tools, not the API, so they stay out of the OpenAPI document.
    /// </summary>
    public static WebApplication MapObservability(this WebApplication app)
    {
        app.MapOrleansSlmMetrics();
        app.MapOrleansSlmDashboard().ExcludeFromDescription();
        app.MapDashboardSignIn();
        return app;
    }
}
