using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansSlm.Grains.Hosting;

/// <summary>Ready when this process's silo is an active member of its cluster.</summary>
public sealed class LocalSiloHealthCheck(ILocalSiloDetails localSilo, IClusterMembershipService membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(localSilo.SiloAddress);
        var activeSilos = snapshot.Members.Values.Count(member => member.Status == SiloStatus.Active);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {localSilo.SiloAddress} is active; {activeSilos} active silo(s) in the cluster")
            : HealthCheckResult.Unhealthy($"silo {localSilo.SiloAddress} is {status}"));
    }
}
