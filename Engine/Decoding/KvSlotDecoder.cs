using Microsoft.ML.OnnxRuntime;
using OrleansSlm.Engine.Models;

namespace OrleansSlm.Engine.Decoding;

/// <summary>
/// Runs the builder's graph (docs/model-format.md): each sequence owns one KV cache slot; every run binds the slots'
/// buffers as both <c>past_key_values.*</c> and <c>present.*</c> through IOBinding, so GroupQueryAttention appends the
/// new keys and values in place and no step copies the cache.
/// </summary>
public sealed class KvSlotDecoder : IDecoder
{
    private readonly InferenceSession _session;
    private readonly KvCacheBuffers _cache;
    private readonly RunOptions _runOptions = new();
    private readonly KvSlotSequence?[] _occupants;
    private readonly Lock _slotLock = new();

    public KvSlotDecoder(InferenceSession session, ModelDescription description, int slots, int capacity)
    {
        if (capacity > description.MaxPositionEmbeddings)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity,
                $"Model:MaxContext ({capacity}) exceeds the model's rotary table of {description.MaxPositionEmbeddings} positions.");
        }

        _session = session;
        Description = description;
        MaxSequenceLength = capacity;
        var windowCaches = session.ModelMetadata.CustomMetadataMap.GetValueOrDefault(GraphNames.SlidingCacheMetadataKey) == GraphNames.WindowSlidingCache;
        var layerCapacities = Enumerable.Range(0, description.Layers)
            .Select(layer => windowCaches && description.IsSlidingLayer(layer) && description.SlidingWindow is { } window ? Math.Min(window, capacity) : capacity)
            .ToArray();
        _cache = new KvCacheBuffers(layerCapacities, slots, description.KvHeads, description.HeadDim,
            session.InputMetadata[GraphNames.PastKey(0)].ElementDataType);
        _occupants = new KvSlotSequence?[slots];
    }

    public ModelDescription Description { get; }

    public int MaxSequenceLength { get; }

    /// <summary>Bytes of KV cache one sequence's slot takes: sliding layers of a window-cache graph hold the window only.</summary>
    public long CacheBytesPerSlot => _cache.BytesPerSlot;

    public int Slots => _cache.Slots;

    public IDecoderSequence StartSequence() => StartSequenceInSlot(null);

    /// <summary>Starts a sequence in a given slot, or in the lowest free one.</summary>
    public KvSlotSequence StartSequenceInSlot(int? slot)
    {
        lock (_slotLock)
        {
            var chosen = slot ?? Array.IndexOf(_occupants, null);
            if (chosen < 0)
            {
                throw new InvalidOperationException($"All {_occupants.Length} KV cache slots are in use (Model:MaxBatch).");
            }

            if (_occupants[chosen] is not null)
            {
                throw new InvalidOperationException($"KV cache slot {chosen} is in use.");
            }

            var sequence = new KvSlotSequence(this, chosen);
            _occupants[chosen] = sequence;
            return sequence;
        }
    }

    internal void Release(KvSlotSequence sequence)
    {
        lock (_slotLock)
        {
            _occupants[sequence.Slot] = null;
        }
    }

    /// <summary>
    /// One decode step for several sequences, each with its own length: one new token per row. Rows in consecutive
    /// slots share one run; <see cref="Compact"/> keeps live rows consecutive, so a step is normally one run.
    /// Writes the logits as [rows, vocab] into <paramref name="logits"/> in the order of <paramref name="rows"/>.
    /// </summary>
    public void DecodeBatch(IReadOnlyList<IDecoderSequence> rows, ReadOnlySpan<int> tokens, Memory<float> logits)
    {
        var vocab = Description.VocabSize;
        if (rows.Count == 0 || rows.Count != tokens.Length || logits.Length < rows.Count * vocab)
        {
            throw new ArgumentException(
                $"A decode step needs one token per row and room for each row's logits ({rows.Count} rows, {tokens.Length} tokens, {logits.Length} logits).");
        }

        if (IsOneRunInOrder(rows))
        {
            // The usual step after Compact: the run writes straight into the caller's buffer, already in its order.
            var lengths = rows.Select(row => row.Length).ToArray();
            Run(Own(rows[0]).Slot, rows.Count, 1, tokens, lengths, logits[..(rows.Count * vocab)]);
            foreach (var row in rows)
            {
                Own(row).Advance(1);
            }

            return;
        }

        var bySlot = Enumerable.Range(0, rows.Count).OrderBy(row => Own(rows[row]).Slot).ToArray();
        var start = 0;
        while (start < bySlot.Length)
        {
            var end = start + 1;
            while (end < bySlot.Length && Own(rows[bySlot[end]]).Slot == Own(rows[bySlot[end - 1]]).Slot + 1)
            {
                end++;
            }

            var count = end - start;
            var runTokens = new int[count];
            var lengths = new int[count];
            for (var i = 0; i < count; i++)
            {
                runTokens[i] = tokens[bySlot[start + i]];
                lengths[i] = rows[bySlot[start + i]].Length;
            }

            var runLogits = new float[count * vocab];
            Run(Own(rows[bySlot[start]]).Slot, count, 1, runTokens, lengths, runLogits);
            for (var i = 0; i < count; i++)
            {
                runLogits.AsSpan(i * vocab, vocab).CopyTo(logits.Span.Slice(bySlot[start + i] * vocab, vocab));
                Own(rows[bySlot[start + i]]).Advance(1);
            }

            start = end;
        }
    }

    /// <summary>Moves live sequences down into freed slots, keeping their order; only the positions they hold are copied.</summary>
    public void Compact()
    {
        lock (_slotLock)
        {
            var target = 0;
            for (var slot = 0; slot < _occupants.Length; slot++)
            {
                if (_occupants[slot] is not { } sequence)
                {
                    continue;
                }

                if (slot != target)
                {
                    _cache.MoveSlot(slot, target, sequence.Length);
                    sequence.Slot = target;
                    _occupants[target] = sequence;
                    _occupants[slot] = null;
                }

                target++;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="sequenceLength"/> new tokens per row and writes each row's last-token logits into
    /// <paramref name="logits"/> ([rows, vocab]): the builder's graphs return the last position only, so ONNX Runtime
    /// writes them there itself.
    /// </summary>
    internal void Run(int firstSlot, int rows, int sequenceLength, ReadOnlySpan<int> tokens, ReadOnlySpan<int> pastLengths, Memory<float> logits)
    {
        var vocab = Description.VocabSize;
        var ids = new long[rows * sequenceLength];
        var seqLens = new int[rows];
        var total = 0;
        for (var row = 0; row < rows; row++)
        {
            var newLength = pastLengths[row] + sequenceLength;
            if (newLength > MaxSequenceLength)
            {
                throw new InvalidOperationException(
                    $"The sequence would hold {newLength} tokens; the KV cache holds {MaxSequenceLength} (Model:MaxContext).");
            }

            seqLens[row] = newLength - 1;
            total = Math.Max(total, newLength);
        }

        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = tokens[i];
        }

        var owned = new List<IDisposable>();
        try
        {
            using var binding = _session.CreateIoBinding();
            var inputIds = Track(owned, OrtValue.CreateTensorValueFromMemory(ids, [rows, sequenceLength]));
            binding.BindInput(GraphNames.InputIds, inputIds);
            binding.BindInput(GraphNames.SeqLensK, Track(owned, OrtValue.CreateTensorValueFromMemory(seqLens, [rows])));
            binding.BindInput(GraphNames.TotalSequenceLength, Track(owned, OrtValue.CreateTensorValueFromMemory(new[] { total }, [])));
            for (var layer = 0; layer < Description.Layers; layer++)
            {
                var keys = Track(owned, _cache.View(layer, values: false, firstSlot, rows));
                var values = Track(owned, _cache.View(layer, values: true, firstSlot, rows));
                binding.BindInput(GraphNames.PastKey(layer), keys);
                binding.BindInput(GraphNames.PastValue(layer), values);
                binding.BindOutput(GraphNames.PresentKey(layer), keys);
                binding.BindOutput(GraphNames.PresentValue(layer), values);
            }

            binding.BindOutput(GraphNames.Logits,
                Track(owned, OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, logits, [rows, 1, vocab])));
            _session.RunWithBinding(_runOptions, binding);
        }
        finally
        {
            foreach (var value in owned)
            {
                value.Dispose();
            }
        }
    }

    private bool IsOneRunInOrder(IReadOnlyList<IDecoderSequence> rows)
    {
        for (var i = 1; i < rows.Count; i++)
        {
            if (Own(rows[i]).Slot != Own(rows[0]).Slot + i)
            {
                return false;
            }
        }

        return true;
    }

    private KvSlotSequence Own(IDecoderSequence row) =>
        row is KvSlotSequence own && _occupants[own.Slot] == own
            ? own
            : throw new ArgumentException("A row of a decode step is not a live sequence of this decoder.", nameof(row));

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
        _cache.Dispose();
    }

    private static OrtValue Track(List<IDisposable> owned, OrtValue value)
    {
        owned.Add(value);
        return value;
    }
}
