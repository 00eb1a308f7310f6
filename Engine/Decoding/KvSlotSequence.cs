namespace OrleansSlm.Engine.Decoding;

/// <summary>A sequence whose keys and values live in one slot of a <see cref="KvSlotDecoder"/>'s cache.</summary>
public sealed class KvSlotSequence(KvSlotDecoder decoder, int slot) : IDecoderSequence
{
    private bool _disposed;

    /// <summary>The KV cache slot; <see cref="KvSlotDecoder.Compact"/> may move the sequence to a lower one.</summary>
    public int Slot { get; internal set; } = slot;

    public int Length { get; private set; }

    public int VocabSize => decoder.Description.VocabSize;

    public void Append(ReadOnlySpan<int> tokens, Memory<float> logits)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("Append needs at least one token.", nameof(tokens));
        }

        if (logits.Length < VocabSize)
        {
            throw new ArgumentException($"Append needs room for {VocabSize} logits; the buffer holds {logits.Length}.", nameof(logits));
        }

        decoder.Run(Slot, 1, tokens.Length, tokens, [Length], logits[..VocabSize]);
        Length += tokens.Length;
    }

    internal void Advance(int tokens) => Length += tokens;

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            decoder.Release(this);
        }
    }
}
