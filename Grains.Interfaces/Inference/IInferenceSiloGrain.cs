namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>
/// One per silo (the key is the silo's address) and pinned to it: reports that silo's scheduler load so that
/// placement can send each request where there is free capacity.
/// </summary>
public interface IInferenceSiloGrain : IGrainWithStringKey
{
    /// <summary>The silo's load, or null when it serves no model.</summary>
    Task<InferenceLoad?> GetLoadAsync();
}
