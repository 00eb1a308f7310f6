using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OrleansSlm.Engine.CustomOps;

/// <summary>
/// A bfloat16 cache (the top half of each float32): half the bytes a decode step reads, widened back to float32 by a
/// shift, so the products and sums stay float32.
/// </summary>
internal readonly unsafe struct BFloat16Cache : ICacheElement
{
    public static int Size => sizeof(ushort);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load8(byte* row, int i) =>
        Vector256.ShiftLeft(Vector256.WidenLower(Vector128.Load((ushort*)row + i).ToVector256Unsafe()), 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load16(byte* row, int i) =>
        Vector512.ShiftLeft(Vector512.WidenLower(Vector256.Load((ushort*)row + i).ToVector512Unsafe()), 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(byte* row, int i) => BitConverter.UInt32BitsToSingle((uint)((ushort*)row)[i] << 16);

    /// <summary>Rounds to the nearest bfloat16, ties to even.</summary>
    public static void Write(float* source, byte* row, int d)
    {
        var target = (ushort*)row;
        for (var i = 0; i < d; i++)
        {
            var bits = BitConverter.SingleToUInt32Bits(source[i]);
            target[i] = (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
        }
    }
}
