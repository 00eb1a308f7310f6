using Orleans.Concurrency;
using OrleansSlm.Grains.Placement;
using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Grains.Inference;

[SiloPinnedPlacement]
[Reentrant]
public sealed class InferenceSiloGrain(InferenceHost host) : Grain, IInferenceSiloGrain
{
    public Task<InferenceLoad?> GetLoadAsync()
    {
        if (host.Scheduler is not { } scheduler || host.IsDraining)
        {
            return Task.FromResult<InferenceLoad?>(null);
        }

        var status = scheduler.Status;
        return Task.FromResult<InferenceLoad?>(new InferenceLoad(status.Slots, status.Running, status.Waiting, status.MaxWaiting));
    }
}
