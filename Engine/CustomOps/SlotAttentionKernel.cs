using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OrleansSlm.Engine.CustomOps;

/// <summary>
/// Causal grouped-query attention over KV cache slots, the CPU kernel behind <c>orleansslm.SlotAttention</c>. Same
/// inputs, attributes (<c>local_window_size</c>, <c>softcap</c>) and cache layout as com.microsoft GroupQueryAttention
/// with packed QKV and rotate-half RoPE: each row appends its new keys and values at its own length and attends to its
/// own positions only. Work is split by (row, KV head): the query heads of a group are scored against the keys in one
/// pass and weight the values in another, so each cached key and value is read from memory once per step instead of
/// once per query head.
/// <para>
/// With a local window of W positions (<c>local_window_size</c>, the query's own included, as GroupQueryAttention
/// counts it since ONNX Runtime 1.23 and Hugging Face's <c>sliding_window</c> does) a cache of
/// exactly W positions may serve sequences longer than itself: position p is kept at p mod W, a ring whose every
/// entry is in the window once the sequence has filled it (softmax does not care about order). Each token's key is
/// written just before its query attends, so a prefill chunk longer than the window overwrites nothing a later query
/// of the chunk still needs.
/// </para>
/// </summary>
internal sealed unsafe class SlotAttentionKernel
{
    public const int InputCount = 7;
    public const int OutputCount = 3;
    public const int PastKeyInput = 1;
    public const int PastValueInput = 2;
    public const int SeqLensInput = 3;
    public const int TotalLengthInput = 4;
    private const int QkvInput = 0;
    private const int CosInput = 5;
    private const int SinInput = 6;

    /// <summary>Query heads scored and mixed together: four accumulators stay in registers (SmolLM2 groups 3, Gemma 3 4).</summary>
    private const int HeadsPerPass = 4;

    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly float _scale;
    private readonly bool _bfloat16Cache;
    private readonly int _window;
    private readonly float _softcap;

    /// <summary>
    /// <paramref name="localWindowSize"/> is GroupQueryAttention's: each query sees that many positions, its own and
    /// the ones just before it (−1: all of them). <paramref name="softcap"/> caps scaled scores at
    /// <c>cap · tanh(score / cap)</c> (0: none).
    /// </summary>
    public SlotAttentionKernel(int heads, int kvHeads, float scale, bool bfloat16Cache, int localWindowSize = -1, float softcap = 0f)
    {
        if (heads < 1 || kvHeads < 1 || heads % kvHeads != 0)
        {
            throw new ArgumentException($"num_heads ({heads}) must be a positive multiple of kv_num_heads ({kvHeads}).");
        }

        if (localWindowSize is 0 or < -1 || softcap < 0)
        {
            throw new ArgumentException($"local_window_size ({localWindowSize}) must be -1 or positive and softcap ({softcap}) not negative.");
        }

        _heads = heads;
        _kvHeads = kvHeads;
        _scale = scale;
        _bfloat16Cache = bfloat16Cache;
        _window = localWindowSize < 0 ? int.MaxValue : localWindowSize;
        _softcap = softcap;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(nint context)
    {
        var qkv = OrtApi.Input(context, QkvInput);
        var qkvShape = OrtApi.Shape(qkv);
        var pastKey = OrtApi.Input(context, PastKeyInput);
        var cacheShape = OrtApi.Shape(pastKey);
        var cos = OrtApi.Input(context, CosInput);
        if (qkvShape.Length != 3 || cacheShape.Length != 4 || cacheShape[0] != qkvShape[0] || cacheShape[1] != _kvHeads
            || qkvShape[2] != (_heads + 2L * _kvHeads) * cacheShape[3] || cacheShape[3] % 2 != 0)
        {
            throw new ArgumentException(
                $"Shapes do not fit: qkv [{string.Join(", ", qkvShape)}], past key [{string.Join(", ", cacheShape)}], {_heads} heads, {_kvHeads} KV heads.");
        }

        var rows = (int)qkvShape[0];
        var newTokens = (int)qkvShape[1];
        var headDim = (int)cacheShape[3];
        var job = new Job
        {
            Qkv = (float*)OrtApi.Data(qkv),
            SeqLens = (int*)OrtApi.Data(OrtApi.Input(context, SeqLensInput)),
            Cos = (float*)OrtApi.Data(cos),
            Sin = (float*)OrtApi.Data(OrtApi.Input(context, SinInput)),
            RotaryPositions = (int)OrtApi.Shape(cos)[0],
            Output = (float*)OrtApi.Data(OrtApi.Output(context, 0, [rows, newTokens, (long)_heads * headDim])),
            Keys = (byte*)OrtApi.Data(OrtApi.Output(context, 1, cacheShape)),
            Values = (byte*)OrtApi.Data(OrtApi.Output(context, 2, cacheShape)),
            NewTokens = newTokens,
            Heads = _heads,
            KvHeads = _kvHeads,
            HeadDim = headDim,
            Capacity = (int)cacheShape[2],
            Scale = _scale,
            Window = _window,
            Softcap = _softcap,
        };
        if (job.Keys != OrtApi.Data(pastKey) || job.Values != OrtApi.Data(OrtApi.Input(context, PastValueInput)))
        {
            throw new ArgumentException("The cache is written in place: bind each present key and value output to its past buffer.");
        }

        OrtApi.ParallelFor(context, _bfloat16Cache ? &WorkBFloat16 : &WorkFloat32, rows * _kvHeads, &job);
        if (job.Error != 0)
        {
            throw new InvalidOperationException(job.Error == Job.LengthError
                ? $"A row's length (seqlens_k + 1) is below its {newTokens} new tokens or above the rotary table, or above the cache's {job.Capacity} positions where the cache is not exactly the local window."
                : "Attention failed on a worker thread.");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void WorkFloat32(void* state, nuint index) => Work<Float32Cache>((Job*)state, (int)index);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void WorkBFloat16(void* state, nuint index) => Work<BFloat16Cache>((Job*)state, (int)index);

    private static void Work<TCache>(Job* job, int index)
        where TCache : struct, ICacheElement
    {
        try
        {
            Attend<TCache>(ref *job, index / job->KvHeads, index % job->KvHeads);
        }
        catch
        {
            job->Error = Job.WorkerError;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Attend<TCache>(ref Job job, int row, int kvHead)
        where TCache : struct, ICacheElement
    {
        var total = job.SeqLens[row] + 1;
        var past = total - job.NewTokens;
        // A cache shorter than the sequence works only as the ring of exactly one window.
        var ring = total > job.Capacity;
        if (past < 0 || total > job.RotaryPositions || (ring && job.Capacity != job.Window))
        {
            job.Error = Job.LengthError;
            return;
        }

        var d = job.HeadDim;
        var rowBytes = (long)d * TCache.Size;
        var width = (job.Heads + 2 * job.KvHeads) * d;
        var headOffset = ((long)row * job.KvHeads + kvHead) * job.Capacity * rowBytes;
        var keys = job.Keys + headOffset;
        var values = job.Values + headOffset;
        var group = job.Heads / job.KvHeads;
        var wide = SlotAttentionKernel512.Fits(d);
        var longest = Math.Min(total, job.Window);
        var scratch = ArrayPool<float>.Shared.Rent(group * d + HeadsPerPass * longest);
        Span<float> sums = stackalloc float[HeadsPerPass];
        try
        {
            fixed (float* buffer = scratch)
            {
                var queries = buffer;
                var scores = buffer + group * d;
                for (var s = 0; s < job.NewTokens; s++)
                {
                    var token = job.Qkv + ((long)row * job.NewTokens + s) * width;
                    var position = past + s;
                    // The query buffer is free until scoring: it carries the rotated key into the cache.
                    Rotate(token + (job.Heads + kvHead) * d, queries, d, position, ref job);
                    TCache.Write(queries, keys + position % job.Capacity * rowBytes, d);
                    TCache.Write(token + (job.Heads + job.KvHeads + kvHead) * d, values + position % job.Capacity * rowBytes, d);

                    // The positions this query sees: the window's last ones, or in a full ring every entry.
                    var first = position < job.Capacity ? Math.Max(0, position + 1 - job.Window) : 0;
                    var length = position < job.Capacity ? position + 1 - first : job.Capacity;
                    var windowKeys = keys + first * rowBytes;
                    var windowValues = values + first * rowBytes;
                    for (var j = 0; j < group; j++)
                    {
                        var query = queries + j * d;
                        Rotate(token + (kvHead * group + j) * d, query, d, position, ref job);
                        TensorPrimitives.Multiply(new ReadOnlySpan<float>(query, d), job.Scale, new Span<float>(query, d));
                    }

                    var output = job.Output + (((long)row * job.NewTokens + s) * job.Heads + kvHead * group) * d;
                    for (var firstHead = 0; firstHead < group; firstHead += HeadsPerPass)
                    {
                        var count = Math.Min(HeadsPerPass, group - firstHead);
                        if (wide)
                        {
                            SlotAttentionKernel512.Score<TCache>(queries + firstHead * d, count, windowKeys, rowBytes, length, d, scores);
                        }
                        else
                        {
                            Score<TCache>(queries + firstHead * d, count, windowKeys, rowBytes, length, d, scores);
                        }

                        for (var j = 0; j < count; j++)
                        {
                            var weights = new Span<float>(scores + j * length, length);
                            if (job.Softcap > 0)
                            {
                                TensorPrimitives.Multiply(weights, 1f / job.Softcap, weights);
                                TensorPrimitives.Tanh(weights, weights);
                                TensorPrimitives.Multiply(weights, job.Softcap, weights);
                            }

                            TensorPrimitives.Subtract(weights, TensorPrimitives.Max(weights), weights);
                            TensorPrimitives.Exp(weights, weights);
                            sums[j] = TensorPrimitives.Sum(weights);
                        }

                        if (wide)
                        {
                            SlotAttentionKernel512.Mix<TCache>(scores, count, windowValues, rowBytes, length, d, output + firstHead * d);
                        }
                        else
                        {
                            Mix<TCache>(scores, count, windowValues, rowBytes, length, d, output + firstHead * d);
                        }

                        for (var j = 0; j < count; j++)
                        {
                            var head = new Span<float>(output + (firstHead + j) * d, d);
                            TensorPrimitives.Multiply(head, 1f / sums[j], head);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Rotate-half RoPE of one head at <paramref name="position"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rotate(float* source, float* target, int d, int position, ref Job job)
    {
        var half = d / 2;
        var cos = job.Cos + (long)position * half;
        var sin = job.Sin + (long)position * half;
        for (var i = 0; i < half; i++)
        {
            var x1 = source[i];
            var x2 = source[i + half];
            target[i] = x1 * cos[i] - x2 * sin[i];
            target[i + half] = x2 * cos[i] + x1 * sin[i];
        }
    }

    /// <summary>
    /// scores[j·length + t] = query_j · key_t for up to <see cref="HeadsPerPass"/> query heads: each key is loaded once
    /// for all of them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Score<TCache>(float* queries, int count, byte* keys, long rowBytes, int length, int d, float* scores)
        where TCache : struct, ICacheElement
    {
        var vectorEnd = d - d % 8;
        for (var t = 0; t < length; t++)
        {
            var key = keys + t * rowBytes;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (var i = 0; i < vectorEnd; i += 8)
            {
                var k = TCache.Load8(key, i);
                a0 = Vector256.FusedMultiplyAdd(Vector256.Load(queries + i), k, a0);
                if (count > 1)
                {
                    a1 = Vector256.FusedMultiplyAdd(Vector256.Load(queries + d + i), k, a1);
                }

                if (count > 2)
                {
                    a2 = Vector256.FusedMultiplyAdd(Vector256.Load(queries + 2 * d + i), k, a2);
                }

                if (count > 3)
                {
                    a3 = Vector256.FusedMultiplyAdd(Vector256.Load(queries + 3 * d + i), k, a3);
                }
            }

            float s0 = Vector256.Sum(a0), s1 = Vector256.Sum(a1), s2 = Vector256.Sum(a2), s3 = Vector256.Sum(a3);
            for (var i = vectorEnd; i < d; i++)
            {
                var k = TCache.Load(key, i);
                s0 += queries[i] * k;
                s1 += count > 1 ? queries[d + i] * k : 0;
                s2 += count > 2 ? queries[2 * d + i] * k : 0;
                s3 += count > 3 ? queries[3 * d + i] * k : 0;
            }

            scores[t] = s0;
            if (count > 1)
            {
                scores[length + t] = s1;
            }

            if (count > 2)
            {
                scores[2 * length + t] = s2;
            }

            if (count > 3)
            {
                scores[3 * length + t] = s3;
            }
        }
    }

    /// <summary>
    /// output_j = Σ_t weights[j·length + t] · value_t for up to <see cref="HeadsPerPass"/> query heads, one value at
    /// a time in cache order: each value is loaded once for all heads (measured faster than keeping eight
    /// dimensions' sums in registers and striding over the values).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Mix<TCache>(float* weights, int count, byte* values, long rowBytes, int length, int d, float* output)
        where TCache : struct, ICacheElement
    {
        new Span<float>(output, count * d).Clear();
        var vectorEnd = d - d % 8;
        for (var t = 0; t < length; t++)
        {
            var value = values + t * rowBytes;
            for (var i = 0; i < vectorEnd; i += 8)
            {
                var v = TCache.Load8(value, i);
                for (var j = 0; j < count; j++)
                {
                    var sum = output + j * d + i;
                    Vector256.FusedMultiplyAdd(Vector256.Create(weights[j * length + t]), v, Vector256.Load(sum)).Store(sum);
                }
            }

            for (var i = vectorEnd; i < d; i++)
            {
                var v = TCache.Load(value, i);
                for (var j = 0; j < count; j++)
                {
                    output[j * d + i] += weights[j * length + t] * v;
                }
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Job
    {
        public const int LengthError = 1;
        public const int WorkerError = 2;

        public float* Qkv;
        public int* SeqLens;
        public float* Cos;
        public float* Sin;
        public float* Output;
        public byte* Keys;
        public byte* Values;
        public int NewTokens;
        public int Heads;
        public int KvHeads;
        public int HeadDim;
        public int Capacity;
        public int RotaryPositions;
        public float Scale;
        public int Window;
        public float Softcap;
        public int Error;
    }
}
