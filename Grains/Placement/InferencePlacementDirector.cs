using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;
using OrleansSlm.GrainsInterfaces.Inference;
using OrleansSlm.ServiceDefaults.Configuration;

namespace OrleansSlm.Grains.Placement;

/// <summary>
/// Places inference grains only on silos whose <c>role</c> metadata serves inference (the built-in metadata filters
/// compare with the caller's own value and cannot say "role = gpu"), choosing by load with
/// <see cref="InferenceSiloChooser"/>. Loads come from each silo's <see cref="IInferenceSiloGrain"/>, kept for a
/// quarter of a second and bumped locally by every placement, so a burst of requests spreads instead of piling onto
/// the silo that looked idlest.
/// </summary>
public sealed class InferencePlacementDirector(ISiloMetadataCache metadata, IGrainFactory grains, ILogger<InferencePlacementDirector> logger)
    : IPlacementDirector
{
    private static readonly TimeSpan LoadLifetime = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<SiloAddress, LoadEstimate> _loads = new();

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target)
            .Select(silo => (Silo: silo, Role: SiloRoles.Of(metadata.GetSiloMetadata(silo).Metadata)))
            .Where(silo => SiloRoles.ServesInference(silo.Role))
            .ToArray();
        if (silos.Length == 0)
        {
            throw new InferenceRejectedException(
                InferenceRejection.Unavailable,
                "No silo in the cluster serves inference: start a silo with Orleans:Metadata:role gpu or cpu.",
                retryAfterSeconds: 5);
        }

        var estimates = silos.Select(silo => Estimate(silo.Silo)).ToArray();
        var loads = await Task.WhenAll(estimates.Select(estimate => estimate.CurrentAsync()));
        var chosen = InferenceSiloChooser.Choose(
            [.. silos.Select((silo, i) => new InferenceCandidate(silo.Silo, silo.Role, loads[i]))], Random.Shared);
        estimates[Array.FindIndex(silos, silo => silo.Silo.Equals(chosen))].NotePlaced();
        return chosen;
    }

    private LoadEstimate Estimate(SiloAddress silo)
    {
        var estimate = _loads.GetOrAdd(silo, Fetch);
        if (estimate.IsStale)
        {
            estimate = Fetch(silo);
            _loads[silo] = estimate;
        }

        return estimate;
    }

    private LoadEstimate Fetch(SiloAddress silo) => new(FetchAsync(silo), DateTime.UtcNow + LoadLifetime);

    private async Task<InferenceLoad?> FetchAsync(SiloAddress silo)
    {
        try
        {
            return await grains.GetGrain<IInferenceSiloGrain>(silo.ToParsableString()).GetLoadAsync().WaitAsync(LoadTimeout);
        }
        catch (Exception exception) when (exception is TimeoutException or OrleansException or InferenceRejectedException)
        {
            logger.LogDebug(exception, "No load report from silo {Silo}", silo);
            return null;
        }
    }

    /// <summary>A fetched load plus the requests placed since, counted as running (or waiting once the slots are full).</summary>
    private sealed class LoadEstimate(Task<InferenceLoad?> fetch, DateTime expires)
    {
        private int _placed;

        public bool IsStale => DateTime.UtcNow >= expires;

        public void NotePlaced() => Interlocked.Increment(ref _placed);

        public async Task<InferenceLoad?> CurrentAsync()
        {
            if (await fetch is not { } load)
            {
                return null;
            }

            var placed = Volatile.Read(ref _placed);
            var running = Math.Min(load.Slots, load.Running + placed);
            return load with { Running = running, Waiting = load.Waiting + placed - (running - load.Running) };
        }
    }
}
