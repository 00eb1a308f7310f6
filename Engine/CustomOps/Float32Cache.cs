using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OrleansSlm.Engine.CustomOps;

/// <summary>A float32 cache: what fp32 graphs keep, so they stay exact to float32 rounding.</summary>
internal readonly unsafe struct Float32Cache : ICacheElement
{
    public static int Size => sizeof(float);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load8(byte* row, int i) => Vector256.Load((float*)row + i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load16(byte* row, int i) => Vector512.Load((float*)row + i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(byte* row, int i) => ((float*)row)[i];

    public static void Write(float* source, byte* row, int d) =>
        new ReadOnlySpan<float>(source, d).CopyTo(new Span<float>(row, d));
}
