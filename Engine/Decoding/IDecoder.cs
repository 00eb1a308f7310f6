using OrleansSlm.Engine.Models;

namespace OrleansSlm.Engine.Decoding;

/// <summary>A loaded decoder-only model that runs sequences with a KV cache.</summary>
public interface IDecoder : IDisposable
{
    ModelDescription Description { get; }

    /// <summary>The longest sequence one KV cache can hold.</summary>
    int MaxSequenceLength { get; }

    /// <summary>How many sequences can be live at once; unbounded where each sequence owns its cache.</summary>
    int Slots => int.MaxValue;

    /// <summary>Starts an empty sequence; fails when every KV cache slot is taken.</summary>
    IDecoderSequence StartSequence();

    /// <summary>
    /// One decode step: one new token per row, every row with its own length. Writes the logits as [rows, vocab] into
    /// <paramref name="logits"/>, a buffer the caller keeps from step to step: sixteen rows of a 49,152-token
    /// vocabulary are 3 MB, which allocated anew each step would churn the large-object heap. Decoders whose
    /// sequences each keep a cache of their own (the export layout) run the rows one after another.
    /// </summary>
    void DecodeBatch(IReadOnlyList<IDecoderSequence> rows, ReadOnlySpan<int> tokens, Memory<float> logits)
    {
        var vocab = Description.VocabSize;
        for (var row = 0; row < rows.Count; row++)
        {
            rows[row].Append(tokens.Slice(row, 1), logits.Slice(row * vocab, vocab));
        }
    }

    /// <summary>
    /// Packs live sequences together after some ended, so that the next batched step runs in as few passes as
    /// possible. Call it only between runs.
    /// </summary>
    void Compact()
    {
    }
}
