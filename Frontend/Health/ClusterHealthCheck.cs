using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansSlm.GrainsInterfaces.Diagnostics;

namespace OrleansSlm.Frontend.Health;

/// <summary>A real round trip through the cluster that touches no storage, so a database outage is not reported twice.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silo = await grains.GetGrain<IClusterProbeGrain>(0).DescribeAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy($"silo {silo.SiloAddress} (role {silo.Role}) answered");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the cluster did not answer: {exception.Message}");
        }
    }
}
