namespace OrleansSlm.Engine.Scheduling;

/// <summary>A scheduler's load at one moment: KV cache slots, requests holding one, and requests waiting for one.</summary>
public sealed record SchedulerStatus(int Slots, int Running, int Waiting, int MaxWaiting);
