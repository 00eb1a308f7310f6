using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OrleansSlm.Engine.CustomOps;

/// <summary>
/// The scoring and mixing passes of <see cref="SlotAttentionKernel"/> for CPUs with 512-bit vectors and heads whose
/// size is a multiple of 64: each pass covers 64 dimensions of up to four query heads, so the queries (scoring) or
/// the sums (mixing) of all of them stay in sixteen registers while the keys or values stream past once.
/// </summary>
internal static unsafe class SlotAttentionKernel512
{
    private const int DimensionsPerPass = 64;

    /// <summary>
    /// Rows ahead to prefetch: each slot's keys and values are a short stream (a few hundred rows), too short for the
    /// hardware prefetcher to get ahead of; measured 4.4 → 3.8 ms per 16-row step.
    /// </summary>
    private const int PrefetchRows = 8;

    public static bool Fits(int headDim) => Vector512.IsHardwareAccelerated && headDim % DimensionsPerPass == 0;

    /// <summary>scores[j·length + t] = query_j · key_t for up to four query heads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Score<TCache>(float* queries, int count, byte* keys, long rowBytes, int length, int d, float* scores)
        where TCache : struct, ICacheElement
    {
        for (var c = 0; c < d; c += DimensionsPerPass)
        {
            var (q00, q01, q02, q03) = Query(queries, c);
            var (q10, q11, q12, q13) = count > 1 ? Query(queries + d, c) : default;
            var (q20, q21, q22, q23) = count > 2 ? Query(queries + 2 * d, c) : default;
            var (q30, q31, q32, q33) = count > 3 ? Query(queries + 3 * d, c) : default;
            var first = c == 0;
            for (var t = 0; t < length; t++)
            {
                var (k0, k1, k2, k3) = Row<TCache>(keys, t, rowBytes, c);
                Accumulate(scores + t, first, Dot(q00, q01, q02, q03, k0, k1, k2, k3));
                if (count > 1)
                {
                    Accumulate(scores + length + t, first, Dot(q10, q11, q12, q13, k0, k1, k2, k3));
                }

                if (count > 2)
                {
                    Accumulate(scores + 2 * length + t, first, Dot(q20, q21, q22, q23, k0, k1, k2, k3));
                }

                if (count > 3)
                {
                    Accumulate(scores + 3 * length + t, first, Dot(q30, q31, q32, q33, k0, k1, k2, k3));
                }
            }
        }
    }

    /// <summary>output_j = Σ_t weights[j·length + t] · value_t for up to four query heads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Mix<TCache>(float* weights, int count, byte* values, long rowBytes, int length, int d, float* output)
        where TCache : struct, ICacheElement
    {
        float* w0 = weights, w1 = weights + length, w2 = weights + 2 * length, w3 = weights + 3 * length;
        for (var c = 0; c < d; c += DimensionsPerPass)
        {
            Vector512<float> o00 = default, o01 = default, o02 = default, o03 = default;
            Vector512<float> o10 = default, o11 = default, o12 = default, o13 = default;
            Vector512<float> o20 = default, o21 = default, o22 = default, o23 = default;
            Vector512<float> o30 = default, o31 = default, o32 = default, o33 = default;
            for (var t = 0; t < length; t++)
            {
                var (v0, v1, v2, v3) = Row<TCache>(values, t, rowBytes, c);
                (o00, o01, o02, o03) = AddWeighted(w0[t], v0, v1, v2, v3, o00, o01, o02, o03);
                if (count > 1)
                {
                    (o10, o11, o12, o13) = AddWeighted(w1[t], v0, v1, v2, v3, o10, o11, o12, o13);
                }

                if (count > 2)
                {
                    (o20, o21, o22, o23) = AddWeighted(w2[t], v0, v1, v2, v3, o20, o21, o22, o23);
                }

                if (count > 3)
                {
                    (o30, o31, o32, o33) = AddWeighted(w3[t], v0, v1, v2, v3, o30, o31, o32, o33);
                }
            }

            Store(output + c, o00, o01, o02, o03);
            if (count > 1)
            {
                Store(output + d + c, o10, o11, o12, o13);
            }

            if (count > 2)
            {
                Store(output + 2 * d + c, o20, o21, o22, o23);
            }

            if (count > 3)
            {
                Store(output + 3 * d + c, o30, o31, o32, o33);
            }
        }
    }

    /// <summary>Dimensions c to c + 63 of cached row t, prefetching the row <see cref="PrefetchRows"/> ahead.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) Row<TCache>(byte* rows, int t, long rowBytes, int c)
        where TCache : struct, ICacheElement
    {
        var row = rows + t * rowBytes;
        Prefetch(row + PrefetchRows * rowBytes);
        return (TCache.Load16(row, c), TCache.Load16(row, c + 16), TCache.Load16(row, c + 32), TCache.Load16(row, c + 48));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) Query(float* query, int c) =>
        (Vector512.Load(query + c), Vector512.Load(query + c + 16), Vector512.Load(query + c + 32), Vector512.Load(query + c + 48));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(
        Vector512<float> q0, Vector512<float> q1, Vector512<float> q2, Vector512<float> q3,
        Vector512<float> k0, Vector512<float> k1, Vector512<float> k2, Vector512<float> k3) =>
        Vector512.Sum(Vector512.FusedMultiplyAdd(q0, k0, q1 * k1) + Vector512.FusedMultiplyAdd(q2, k2, q3 * k3));

    /// <summary>sums + weight · values, 64 dimensions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) AddWeighted(
        float weight, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3,
        Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3)
    {
        var w = Vector512.Create(weight);
        return (Vector512.FusedMultiplyAdd(w, v0, s0), Vector512.FusedMultiplyAdd(w, v1, s1),
            Vector512.FusedMultiplyAdd(w, v2, s2), Vector512.FusedMultiplyAdd(w, v3, s3));
    }

    /// <summary>A hint, never a fault: past the end of the cache it reads nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(byte* address)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(address);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(float* score, bool first, float value) => *score = first ? value : *score + value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* target, Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d)
    {
        a.Store(target);
        b.Store(target + 16);
        c.Store(target + 32);
        d.Store(target + 48);
    }
}
