using Microsoft.Extensions.DependencyInjection;
using OrleansSlm.ServiceDefaults.Health;

namespace OrleansSlm.Grains.Hosting;

public static class HealthChecksBuilderExtensions
{
    public static IHealthChecksBuilder AddLocalSiloCheck(this IHealthChecksBuilder builder) =>
        builder.AddCheck<LocalSiloHealthCheck>("silo", tags: [HealthTags.Ready]);
}
