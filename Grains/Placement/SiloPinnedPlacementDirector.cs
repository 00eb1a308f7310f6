using Orleans.Runtime.Placement;

namespace OrleansSlm.Grains.Placement;

/// <summary>Puts a <see cref="SiloPinnedPlacementAttribute"/> grain on the silo its key names, if that silo is alive.</summary>
public sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        var silo = context.GetCompatibleSilos(target).FirstOrDefault(candidate => candidate.ToParsableString() == key);
        return silo is not null
            ? Task.FromResult(silo)
            : throw new SiloUnavailableException($"Silo {key} is not an active member of the cluster.");
    }
}
