using System.Runtime.Intrinsics;

namespace OrleansSlm.Engine.CustomOps;

/// <summary>How <see cref="SlotAttentionKernel"/> reads and writes one element type of the KV cache.</summary>
internal unsafe interface ICacheElement
{
    static abstract int Size { get; }

    /// <summary>Elements i to i + 7 of a cached row, as float32.</summary>
    static abstract Vector256<float> Load8(byte* row, int i);

    /// <summary>Elements i to i + 15 of a cached row, as float32.</summary>
    static abstract Vector512<float> Load16(byte* row, int i);

    static abstract float Load(byte* row, int i);

    static abstract void Write(float* source, byte* row, int d);
}
