using Orleans.Placement;

namespace OrleansSlm.Grains.Placement;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class InferencePlacementAttribute() : PlacementAttribute(new InferencePlacementStrategy());
