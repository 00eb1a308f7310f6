using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OrleansSlm.Infrastructure.CustomOps;

/// <summary>
/// Causal grouped-query attention over KV cache slots, the CPU kernel behind <c>orleansslm.SlotAttention</c>. Same
/// inputs and cache layout as com.microsoft GroupQueryAttention with packed QKV and rotate-half RoPE: each row appends
/// its new keys and values at its own length and attends to its own positions only. Work is split by (row, KV head):
/// the query heads of a group are scored against the keys in one pass and weight the values in another, so each
/// cached key and value is read from memory once per step instead of once per query head.
/// </summary>
internal sealed unsafe class SlotAttentionKernel
{
    public const int InputCount = 7;
    public const int OutputCount = 3;
    public const int SeqLensInput = 3;
    public const int TotalLengthInput = 4;
    private const int QkvInput = 0;
    private const int PastKeyInput = 1;
    private const int PastValueInput = 2;
    private const int CosInput = 5;
    private const int SinInput = 6;

    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly float _scale;

    public SlotAttentionKernel(int heads, int kvHeads, float scale)
    {
        if (heads < 1 || kvHeads < 1 || heads % kvHeads != 0)
        {
            throw new ArgumentException($"num_heads ({heads}) must be a positive multiple of kv_num_heads ({kvHeads}).");
        }

        _heads = heads;
        _kvHeads = kvHeads;
        _scale = scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(nint context)
    {
        var qkv = OrtApi.Input(context, QkvInput);
        var qkvShape = OrtApi.Shape(qkv);
        var pastKey = OrtApi.Input(context, PastKeyInput);
        var cacheShape = OrtApi.Shape(pastKey);
        var cos = OrtApi.Input(context, CosInput);
        var rows = (int)qkvShape[0];
        var newTokens = (int)qkvShape[1];
        var headDim = (int)cacheShape[3];
        if (qkvShape.Length != 3 || cacheShape.Length != 4 || cacheShape[0] != rows || cacheShape[1] != _kvHeads
            || qkvShape[2] != (long)(_heads + 2 * _kvHeads) * headDim || headDim % 2 != 0)
        {
            throw new ArgumentException(
                $"Shapes do not fit: qkv [{string.Join(", ", qkvShape)}], past key [{string.Join(", ", cacheShape)}], {_heads} heads, {_kvHeads} KV heads.");
        }

        var job = new Job
        {
            Qkv = (float*)OrtApi.Data(qkv),
            SeqLens = (int*)OrtApi.Data(OrtApi.Input(context, SeqLensInput)),
            Cos = (float*)OrtApi.Data(cos),
            Sin = (float*)OrtApi.Data(OrtApi.Input(context, SinInput)),
            RotaryPositions = (int)OrtApi.Shape(cos)[0],
            Output = (float*)OrtApi.Data(OrtApi.Output(context, 0, [rows, newTokens, (long)_heads * headDim])),
            Keys = (float*)OrtApi.Data(OrtApi.Output(context, 1, cacheShape)),
            Values = (float*)OrtApi.Data(OrtApi.Output(context, 2, cacheShape)),
            Rows = rows,
            NewTokens = newTokens,
            Heads = _heads,
            KvHeads = _kvHeads,
            HeadDim = headDim,
            Capacity = (int)cacheShape[2],
            Scale = _scale,
        };
        if (job.Keys != OrtApi.Data(pastKey) || job.Values != OrtApi.Data(OrtApi.Input(context, PastValueInput)))
        {
            throw new ArgumentException("The cache is written in place: bind each present key and value output to its past buffer.");
        }

        OrtApi.ParallelFor(context, &Work, rows * _kvHeads, &job);
        if (job.Error != 0)
        {
            throw new InvalidOperationException(job.Error == Job.LengthError
                ? $"A row's length (seqlens_k + 1) is below its {newTokens} new tokens or above the cache's {job.Capacity} positions or the rotary table."
                : "Attention failed on a worker thread.");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Work(void* state, nuint index)
    {
        var job = (Job*)state;
        try
        {
            Attend(ref *job, (int)index / job->KvHeads, (int)index % job->KvHeads);
        }
        catch
        {
            job->Error = Job.WorkerError;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Attend(ref Job job, int row, int kvHead)
    {
        var total = job.SeqLens[row] + 1;
        var past = total - job.NewTokens;
        if (past < 0 || total > job.Capacity || total > job.RotaryPositions)
        {
            job.Error = Job.LengthError;
            return;
        }

        var d = job.HeadDim;
        var width = (job.Heads + 2 * job.KvHeads) * d;
        var headOffset = ((long)row * job.KvHeads + kvHead) * job.Capacity * d;
        var keys = job.Keys + headOffset;
        var values = job.Values + headOffset;
        for (var s = 0; s < job.NewTokens; s++)
        {
            var token = job.Qkv + ((long)row * job.NewTokens + s) * width;
            var position = past + s;
            Rotate(token + (job.Heads + kvHead) * d, keys + (long)position * d, d, position, ref job);
            new ReadOnlySpan<float>(token + (job.Heads + job.KvHeads + kvHead) * d, d).CopyTo(new Span<float>(values + (long)position * d, d));
        }

        var group = job.Heads / job.KvHeads;
        var scratch = ArrayPool<float>.Shared.Rent(group * (total + d));
        try
        {
            fixed (float* buffer = scratch)
            {
                var queries = buffer;
                var scores = buffer + group * d;
                for (var s = 0; s < job.NewTokens; s++)
                {
                    var position = past + s;
                    var length = position + 1;
                    var token = job.Qkv + ((long)row * job.NewTokens + s) * width;
                    for (var j = 0; j < group; j++)
                    {
                        var query = queries + j * d;
                        Rotate(token + (kvHead * group + j) * d, query, d, position, ref job);
                        TensorPrimitives.Multiply(new ReadOnlySpan<float>(query, d), job.Scale, new Span<float>(query, d));
                    }

                    Score(queries, group, keys, length, d, scores);
                    for (var j = 0; j < group; j++)
                    {
                        var weights = new Span<float>(scores + j * length, length);
                        var max = TensorPrimitives.Max(weights);
                        TensorPrimitives.Subtract(weights, max, weights);
                        TensorPrimitives.Exp(weights, weights);
                        TensorPrimitives.Multiply(weights, 1f / TensorPrimitives.Sum(weights), weights);
                    }

                    var output = job.Output + (((long)row * job.NewTokens + s) * job.Heads + kvHead * group) * d;
                    Mix(scores, group, values, length, d, output);
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

    /// <summary>scores[j·length + t] = query_j · key_t for every query head j of the group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Score(float* queries, int group, float* keys, int length, int d, float* scores)
    {
        for (var t = 0; t < length; t++)
        {
            var key = keys + (long)t * d;
            for (var j = 0; j < group; j++)
            {
                scores[j * length + t] = Dot(queries + j * d, key, d);
            }
        }
    }

    /// <summary>output_j = Σ_t weights[j·length + t] · value_t for every query head j of the group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Mix(float* weights, int group, float* values, int length, int d, float* output)
    {
        new Span<float>(output, group * d).Clear();
        for (var t = 0; t < length; t++)
        {
            var value = values + (long)t * d;
            for (var j = 0; j < group; j++)
            {
                AddScaled(output + j * d, value, weights[j * length + t], d);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(float* a, float* b, int d)
    {
        var i = 0;
        var sum = 0f;
        if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= d; i += 8)
            {
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), acc);
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < d; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(float* target, float* source, float weight, int d)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var w = Vector256.Create(weight);
            for (; i + 8 <= d; i += 8)
            {
                Vector256.FusedMultiplyAdd(Vector256.Load(source + i), w, Vector256.Load(target + i)).Store(target + i);
            }
        }

        for (; i < d; i++)
        {
            target[i] += source[i] * weight;
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
        public float* Keys;
        public float* Values;
        public int Rows;
        public int NewTokens;
        public int Heads;
        public int KvHeads;
        public int HeadDim;
        public int Capacity;
        public int RotaryPositions;
        public float Scale;
        public int Error;
    }
}
