namespace OrleansSlm.Infrastructure.Scheduling;

/// <summary>A scheduler's load at one moment: KV cache slots, requests holding one, and requests waiting for one.</summary>
public sealed record SchedulerStatus(int Slots, int Running, int Waiting, int MaxWaiting)
{
    /// <summary>Slots a new request could take without waiting.</summary>
    public int FreeSlots => Math.Max(0, Slots - Running - Waiting);

    /// <summary>Whether a new request would be turned away.</summary>
    public bool IsFull => Waiting >= MaxWaiting;
}
