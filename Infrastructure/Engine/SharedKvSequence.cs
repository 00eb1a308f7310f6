namespace OrleansSlm.Infrastructure.Engine;

/// <summary>A sequence whose keys and values live in one slot of a <see cref="SharedKvDecoder"/>'s cache.</summary>
public sealed class SharedKvSequence(SharedKvDecoder decoder, int slot) : IDecoderSequence
{
    private bool _disposed;

    /// <summary>The KV cache slot; <see cref="SharedKvDecoder.Compact"/> may move the sequence to a lower one.</summary>
    public int Slot { get; internal set; } = slot;

    public int Length { get; private set; }

    public float[] Append(ReadOnlySpan<int> tokens)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("Append needs at least one token.", nameof(tokens));
        }

        var logits = new float[decoder.Description.VocabSize];
        decoder.Run(Slot, 1, tokens.Length, tokens, [Length], logits);
        Length += tokens.Length;
        return logits;
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
