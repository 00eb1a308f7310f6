using OrleansSlm.ServiceDefaults.Configuration;

namespace OrleansSlm.Grains.Placement;

/// <summary>
/// The placement rule: a silo with free slots, GPU silos first and then the most free slots; when none is free, the
/// shortest queue relative to its bound (GPU first on ties); when every queue is full, any silo (its grain then turns
/// the request away with a retry hint). Ties go to a random silo so that equal silos share the work.
/// </summary>
public static class InferenceSiloChooser
{
    public static SiloAddress Choose(IReadOnlyList<InferenceCandidate> candidates, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfZero(candidates.Count);
        var known = candidates.Where(candidate => candidate.Load is not null).ToList();
        if (known.Count == 0)
        {
            return candidates[random.Next(candidates.Count)].Silo;
        }

        var free = known.Where(candidate => candidate.Load!.FreeSlots > 0).ToList();
        if (free.Count > 0)
        {
            var gpus = free.Where(candidate => candidate.Role == SiloRoles.Gpu).ToList();
            return Best(gpus.Count > 0 ? gpus : free, candidate => -candidate.Load!.FreeSlots, random);
        }

        var open = known.Where(candidate => !candidate.Load!.IsFull).ToList();
        if (open.Count > 0)
        {
            return Best(open, candidate => QueueShare(candidate) - (candidate.Role == SiloRoles.Gpu ? 1e-9 : 0), random);
        }

        return known[random.Next(known.Count)].Silo;
    }

    private static double QueueShare(InferenceCandidate candidate) =>
        (double)candidate.Load!.Waiting / Math.Max(1, candidate.Load.MaxWaiting);

    private static SiloAddress Best(List<InferenceCandidate> candidates, Func<InferenceCandidate, double> cost, Random random)
    {
        var lowest = candidates.Min(cost);
        var best = candidates.Where(candidate => cost(candidate) == lowest).ToList();
        return best[random.Next(best.Count)].Silo;
    }
}
