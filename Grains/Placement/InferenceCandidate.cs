using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Grains.Placement;

/// <summary>An inference silo as placement sees it: its role and its last known load (null when unknown).</summary>
public sealed record InferenceCandidate(SiloAddress Silo, string Role, InferenceLoad? Load);
