namespace OrleansSlm.Engine.Configuration;

/// <summary>
/// The attention operator of the graphs the project builds (<c>Model:Attention</c>); both read and write the same KV
/// cache through the same inputs, so the engine runs either.
/// </summary>
public enum AttentionKernel
{
    /// <summary><see cref="Slot"/> on CPUs with 256-bit vectors, <see cref="GroupQuery"/> on CUDA and other CPUs.</summary>
    Auto,

    /// <summary>com.microsoft GroupQueryAttention: ONNX Runtime's own kernels, on CPU and CUDA.</summary>
    GroupQuery,

    /// <summary>orleansslm.SlotAttention: the project's CPU kernel, which reads each cached key and value once per step.</summary>
    Slot,
}
