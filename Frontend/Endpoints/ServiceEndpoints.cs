using System.Reflection;
using Microsoft.Extensions.Options;
using OrleansSlm.Frontend.Chat;
using OrleansSlm.GrainsInterfaces.Inference;
using OrleansSlm.ServiceDefaults.Configuration;

namespace OrleansSlm.Frontend.Endpoints;

public static class ServiceEndpoints
{
    private static readonly string Version =
        typeof(ServiceEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public static IEndpointRouteBuilder MapServiceEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", async (IOptions<OrleansOptions> orleans, ModelCatalog catalog, CancellationToken cancellationToken) =>
                TypedResults.Ok(new ServiceDescription(
                    Service: "OrleansSlm",
                    Status: "running",
                    Version: Version,
                    Mode: orleans.Value.Mode.ToString(),
                    Models: await ModelIdsAsync(catalog, cancellationToken))))
            .WithName("ServiceDescription");
        return endpoints;
    }

    /// <summary>The served models, or none while no inference silo answers: this page must not fail with the cluster.</summary>
    private static async Task<IReadOnlyList<string>> ModelIdsAsync(ModelCatalog catalog, CancellationToken cancellationToken)
    {
        try
        {
            return [.. (await catalog.GetModelsAsync(cancellationToken)).Select(model => model.Id)];
        }
        catch (Exception exception) when (exception is OrleansException or TimeoutException or InferenceRejectedException)
        {
            return [];
        }
    }
}
