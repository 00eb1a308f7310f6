using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansSlm.GrainsInterfaces.Diagnostics;
using OrleansSlm.ServiceDefaults.Configuration;

namespace OrleansSlm.Grains.Diagnostics;

[StatelessWorker]
public sealed class ClusterProbeGrain(ILocalSiloDetails localSilo, IOptions<OrleansOptions> options) : Grain, IClusterProbeGrain
{
    private readonly string _role = SiloRoles.Of(options.Value.Metadata);

    public Task<SiloDescription> DescribeAsync() => Task.FromResult(new SiloDescription(localSilo.SiloAddress.ToString(), _role));
}
