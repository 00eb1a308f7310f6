namespace OrleansSlm.GrainsInterfaces.Diagnostics;

/// <summary>
/// A grain call that touches no storage: it proves that a request can travel from a client into the cluster
/// and back, and says which silo answered.
/// </summary>
public interface IClusterProbeGrain : IGrainWithIntegerKey
{
    Task<SiloDescription> DescribeAsync();
}
