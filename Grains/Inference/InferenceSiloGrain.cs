using Orleans.Concurrency;
using OrleansSlm.Grains.Placement;
using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Grains.Inference;

[SiloPinnedPlacement]
[Reentrant]
public sealed class InferenceSiloGrain(InferenceHost host) : Grain, IInferenceSiloGrain
{
    public Task<InferenceLoad?> GetLoadAsync() => Task.FromResult(host.CurrentLoad());
}
