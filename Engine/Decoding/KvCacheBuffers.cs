using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace OrleansSlm.Engine.Decoding;

/// <summary>
/// Preallocated KV cache: per layer one key and one value buffer of [slots, kv_heads, capacity, head_dim] elements
/// (float32, or bfloat16 where the graph asks for it), slot-major, so the rows of consecutive slots form one
/// contiguous [n, kv_heads, capacity, head_dim] tensor that the graph reads as past and writes as present in place.
/// </summary>
public sealed unsafe class KvCacheBuffers : IDisposable
{
    private readonly nint[] _buffers;
    private readonly long _slotElements;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly long[] _slotShape;
    private readonly TensorElementType _elementType;
    private readonly int _elementSize;

    public KvCacheBuffers(int layers, int slots, int kvHeads, int capacity, int headDim, TensorElementType elementType = TensorElementType.Float)
    {
        _elementSize = elementType switch
        {
            TensorElementType.Float => sizeof(float),
            TensorElementType.BFloat16 => sizeof(ushort),
            _ => throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "The KV cache holds float32 or bfloat16."),
        };
        Slots = slots;
        Capacity = capacity;
        _kvHeads = kvHeads;
        _headDim = headDim;
        _elementType = elementType;
        _slotElements = (long)kvHeads * capacity * headDim;
        _slotShape = [1, kvHeads, capacity, headDim];
        _buffers = new nint[layers * 2];
        for (var i = 0; i < _buffers.Length; i++)
        {
            _buffers[i] = (nint)NativeMemory.AllocZeroed((nuint)(slots * _slotElements), (nuint)_elementSize);
        }
    }

    public int Slots { get; }

    public int Capacity { get; }

    /// <summary>A tensor over slots [firstSlot, firstSlot + count) of one layer's keys (or values); it does not own the memory.</summary>
    public OrtValue View(int layer, bool values, int firstSlot, int count)
    {
        if (firstSlot < 0 || count < 1 || firstSlot + count > Slots)
        {
            throw new ArgumentOutOfRangeException(nameof(firstSlot), $"Slots {firstSlot}..{firstSlot + count - 1} are outside 0..{Slots - 1}.");
        }

        var start = (byte*)_buffers[layer * 2 + (values ? 1 : 0)] + firstSlot * _slotElements * _elementSize;
        long[] shape = [count, _slotShape[1], _slotShape[2], _slotShape[3]];
        return OrtValue.CreateTensorValueWithData(
            OrtMemoryInfo.DefaultInstance, _elementType, shape, (nint)start, count * _slotElements * _elementSize);
    }

    /// <summary>
    /// Copies the first <paramref name="length"/> positions of one slot's keys and values, every layer and head, into
    /// another slot: only what the sequence holds moves, never the whole cache.
    /// </summary>
    public void MoveSlot(int from, int to, int length)
    {
        if (from == to || length == 0)
        {
            return;
        }

        var headBytes = (long)Capacity * _headDim * _elementSize;
        var slotBytes = _slotElements * _elementSize;
        var bytes = (long)length * _headDim * _elementSize;
        foreach (var buffer in _buffers)
        {
            for (var head = 0; head < _kvHeads; head++)
            {
                var source = (byte*)buffer + from * slotBytes + head * headBytes;
                var target = (byte*)buffer + to * slotBytes + head * headBytes;
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
