using Microsoft.Extensions.DependencyInjection;
using OrleansSlm.Infrastructure.Health;

namespace OrleansSlm.Grains.Hosting;

public static class HealthChecksBuilderExtensions
{
    public static IHealthChecksBuilder AddLocalSiloCheck(this IHealthChecksBuilder builder) =>
        builder.AddCheck<LocalSiloHealthCheck>("silo", tags: [HealthTags.Ready]);
}
