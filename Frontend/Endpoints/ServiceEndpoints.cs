using System.Reflection;
using OrleansSlm.Infrastructure.Configuration;

namespace OrleansSlm.Frontend.Endpoints;

public static class ServiceEndpoints
{
    private static readonly string Version =
        typeof(ServiceEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public static IEndpointRouteBuilder MapServiceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (IConfiguration configuration) => TypedResults.Ok(new ServiceDescription(
                Service: "OrleansSlm",
                Status: "running",
                Version: Version,
                Mode: configuration.GetOrleansOptions().Mode.ToString())))
            .WithName("ServiceDescription");
        return endpoints;
    }
}
