using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace OrleansSlm.Engine.Decoding;

/// <summary>
/// Preallocated KV cache: per layer one key and one value buffer of [slots, kv_heads, capacity, head_dim] elements
/// (float32, or bfloat16 where the graph asks for it), slot-major, so the rows of consecutive slots form one
/// contiguous [n, kv_heads, capacity, head_dim] tensor that the graph reads as past and writes as present in place.
/// A layer may hold fewer positions than the sequence limit: a sliding layer whose attention keeps its window as a
/// ring needs only the window.
/// </summary>
public sealed unsafe class KvCacheBuffers : IDisposable
{
    private readonly nint[] _buffers;
    private readonly int[] _layerCapacities;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly TensorElementType _elementType;
    private readonly int _elementSize;

    /// <summary>Every layer holds <paramref name="capacity"/> positions.</summary>
    public KvCacheBuffers(int layers, int slots, int kvHeads, int capacity, int headDim, TensorElementType elementType = TensorElementType.Float)
        : this([.. Enumerable.Repeat(capacity, layers)], slots, kvHeads, headDim, elementType)
    {
    }

    public KvCacheBuffers(IReadOnlyList<int> layerCapacities, int slots, int kvHeads, int headDim, TensorElementType elementType = TensorElementType.Float)
    {
        _elementSize = elementType switch
        {
            TensorElementType.Float => sizeof(float),
            TensorElementType.BFloat16 => sizeof(ushort),
            _ => throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "The KV cache holds float32 or bfloat16."),
        };
        if (layerCapacities.Count == 0 || layerCapacities.Any(capacity => capacity < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(layerCapacities), "Every layer's cache holds at least one position.");
        }

        Slots = slots;
        _layerCapacities = [.. layerCapacities];
        Capacity = _layerCapacities.Max();
        _kvHeads = kvHeads;
        _headDim = headDim;
        _elementType = elementType;
        _buffers = new nint[_layerCapacities.Length * 2];
        for (var i = 0; i < _buffers.Length; i++)
        {
            _buffers[i] = (nint)NativeMemory.AllocZeroed((nuint)(slots * SlotElements(i / 2)), (nuint)_elementSize);
        }
    }

    public int Slots { get; }

    /// <summary>The most positions any layer holds.</summary>
    public int Capacity { get; }

    /// <summary>The positions one layer holds per slot.</summary>
    public int LayerCapacity(int layer) => _layerCapacities[layer];

    /// <summary>Bytes of key and value cache per slot, over all layers.</summary>
    public long BytesPerSlot => _layerCapacities.Sum(capacity => 2L * _kvHeads * capacity * _headDim * _elementSize);

    private long SlotElements(int layer) => (long)_kvHeads * _layerCapacities[layer] * _headDim;

    /// <summary>A tensor over slots [firstSlot, firstSlot + count) of one layer's keys (or values); it does not own the memory.</summary>
    public OrtValue View(int layer, bool values, int firstSlot, int count)
    {
        if (firstSlot < 0 || count < 1 || firstSlot + count > Slots)
        {
            throw new ArgumentOutOfRangeException(nameof(firstSlot), $"Slots {firstSlot}..{firstSlot + count - 1} are outside 0..{Slots - 1}.");
        }

        var slotElements = SlotElements(layer);
        var start = (byte*)_buffers[layer * 2 + (values ? 1 : 0)] + firstSlot * slotElements * _elementSize;
        long[] shape = [count, _kvHeads, _layerCapacities[layer], _headDim];
        return OrtValue.CreateTensorValueWithData(
            OrtMemoryInfo.DefaultInstance, _elementType, shape, (nint)start, count * slotElements * _elementSize);
    }

    /// <summary>
    /// Copies what a sequence of <paramref name="length"/> positions holds of one slot's keys and values, every layer
    /// and head, into another slot: only those positions move (a ring layer's whole window once it is full), never the
    /// whole cache.
    /// </summary>
    public void MoveSlot(int from, int to, int length)
    {
        if (from == to || length == 0)
        {
            return;
        }

        for (var i = 0; i < _buffers.Length; i++)
        {
            var capacity = _layerCapacities[i / 2];
            var headBytes = (long)capacity * _headDim * _elementSize;
            var slotBytes = SlotElements(i / 2) * _elementSize;
            var bytes = (long)Math.Min(length, capacity) * _headDim * _elementSize;
            for (var head = 0; head < _kvHeads; head++)
            {
                var source = (byte*)_buffers[i] + from * slotBytes + head * headBytes;
                var target = (byte*)_buffers[i] + to * slotBytes + head * headBytes;
                Buffer.MemoryCopy(source, target, bytes, bytes);
            }
        }
    }

    public void Dispose()
    {
        for (var i = 0; i < _buffers.Length; i++)
        {
            if (_buffers[i] != 0)
            {
                NativeMemory.Free((void*)_buffers[i]);
                _buffers[i] = 0;
            }
        }
    }
}
