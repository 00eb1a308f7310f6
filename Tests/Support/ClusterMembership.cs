using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace OrleansSlm.Tests.Support;

/// <summary>Membership as each silo sees it: a silo learns of the others a moment after they start.</summary>
public static class ClusterMembership
{
    /// <summary>Waits until every silo's own membership view lists all of them as active, so each can place on any.</summary>
    public static async Task WaitUntilEverySiloSeesAllAsync(params ClusterSilo[] silos)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        bool Settled() => silos.All(silo => silo.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values
            .Count(member => member.Status == SiloStatus.Active) == silos.Length);
        while (!Settled() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(Settled(), $"the silos did not all see {silos.Length} active members within 30 s");
    }
}
