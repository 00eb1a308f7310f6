namespace OrleansSlm.Tests.Support;

/// <summary>Where an injected fault meets a storage write.</summary>
public enum WriteFaultTiming
{
    /// <summary>Storage never receives the write.</summary>
    BeforeStorage,

    /// <summary>Storage has the write, but the grain is not told: a lost acknowledgement.</summary>
    AfterStorage,
}
