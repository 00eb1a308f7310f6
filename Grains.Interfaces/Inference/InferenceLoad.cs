namespace OrleansSlm.GrainsInterfaces.Inference;

/// <summary>A silo's scheduler load: KV cache slots, requests holding one, requests waiting, and the queue's bound.</summary>
[GenerateSerializer, Immutable]
public sealed record InferenceLoad(
    [property: Id(0)] int Slots,
    [property: Id(1)] int Running,
    [property: Id(2)] int Waiting,
    [property: Id(3)] int MaxWaiting)
{
    /// <summary>Requests it could start now without queueing.</summary>
    public int FreeSlots => Math.Max(0, Slots - Running - Waiting);

    public bool IsFull => Waiting >= MaxWaiting && Running + Waiting >= Slots;
}
