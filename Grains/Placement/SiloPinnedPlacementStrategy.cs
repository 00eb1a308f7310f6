namespace OrleansSlm.Grains.Placement;

/// <summary>Places a grain on the silo whose address is its string key.</summary>
[Serializable, GenerateSerializer, Immutable]
public sealed class SiloPinnedPlacementStrategy : PlacementStrategy;
