namespace OrleansSlm.Engine.Decoding;

/// <summary>One sequence and its KV cache.</summary>
public interface IDecoderSequence : IDisposable
{
    /// <summary>Tokens already in the cache.</summary>
    int Length { get; }

    /// <summary>The length of one row of logits.</summary>
    int VocabSize { get; }

    /// <summary>
    /// Runs <paramref name="tokens"/> after those in the cache, keeps their keys and values, and writes the last token's
    /// logits into <paramref name="logits"/> (at least <see cref="VocabSize"/> long), a buffer the caller keeps.
    /// </summary>
    void Append(ReadOnlySpan<int> tokens, Memory<float> logits);

    /// <summary>As <see cref="Append(ReadOnlySpan{int}, Memory{float})"/>, into a new array: for tools and tests, not for a loop that runs every step.</summary>
    float[] Append(ReadOnlySpan<int> tokens)
    {
        var logits = new float[VocabSize];
        Append(tokens, logits);
        return logits;
    }
}
