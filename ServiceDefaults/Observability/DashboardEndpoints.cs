using Microsoft.AspNetCore.Routing;
using Orleans.Dashboard;

namespace OrleansSlm.ServiceDefaults.Observability;

public static class DashboardEndpoints
{
    /// <summary>Where the Orleans Dashboard is served, on the frontend and on each silo's web host.</summary>
    public const string Path = "/dashboard";

    /// <summary>
    /// Maps the dashboard's page and its JSON endpoints. The host needs the dashboard's services: a silo gets them
    /// from the shared silo configuration, an Orleans client from <c>AddDashboard()</c>.
    /// </summary>
    public static RouteGroupBuilder MapOrleansSlmDashboard(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapOrleansDashboard(Path);
}
