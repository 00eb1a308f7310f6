using Microsoft.ML.OnnxRuntime;

namespace OrleansSlm.Engine.Decoding;

/// <summary>A sequence of an <see cref="ExportLayoutDecoder"/>: it keeps the last run's outputs as its KV cache.</summary>
public sealed class ExportLayoutSequence(ExportLayoutDecoder decoder) : IDecoderSequence
{
    private IDisposableReadOnlyCollection<OrtValue>? _last;

    public int Length { get; private set; }

    public int VocabSize => decoder.Description.VocabSize;

    public void Append(ReadOnlySpan<int> tokens, Memory<float> logits)
    {
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("Append needs at least one token.", nameof(tokens));
        }

        var outputs = decoder.Run(tokens, Length, _last);

        // The new presents were computed from the old outputs; only now may those be freed.
        _last?.Dispose();
        _last = outputs;
        Length += tokens.Length;
        outputs[0].GetTensorDataAsSpan<float>()[^VocabSize..].CopyTo(logits.Span);
    }

    public void Dispose()
    {
        _last?.Dispose();
        _last = null;
    }
}
