namespace OrleansSlm.Grains.Placement;

/// <summary>Places a grain on an inference silo (role gpu or cpu): GPU silos first while they have free slots, then by free capacity.</summary>
[Serializable, GenerateSerializer, Immutable]
public sealed class InferencePlacementStrategy : PlacementStrategy;
