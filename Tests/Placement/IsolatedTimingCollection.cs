namespace OrleansSlm.Tests.Placement;

/// <summary>Tests that compare rates: xunit runs this collection on its own, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsolatedTimingCollection
{
    public const string Name = "isolated timing";
}
