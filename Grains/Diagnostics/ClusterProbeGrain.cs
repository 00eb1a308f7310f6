using Microsoft.Extensions.Configuration;
using Orleans.Concurrency;
using OrleansSlm.GrainsInterfaces.Diagnostics;
using OrleansSlm.Infrastructure.Configuration;

namespace OrleansSlm.Grains.Diagnostics;

[StatelessWorker]
public sealed class ClusterProbeGrain(ILocalSiloDetails localSilo, IConfiguration configuration) : Grain, IClusterProbeGrain
{
    private readonly string role = SiloRoles.Of(configuration.GetOrleansOptions().Metadata);

    public Task<SiloDescription> DescribeAsync() => Task.FromResult(new SiloDescription(localSilo.SiloAddress.ToString(), role));
}
