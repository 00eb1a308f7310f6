namespace OrleansSlm.Infrastructure.Engine;

/// <summary>One sequence and its KV cache.</summary>
public interface IDecoderSequence : IDisposable
{
    /// <summary>Tokens already in the cache.</summary>
    int Length { get; }

    /// <summary>Runs <paramref name="tokens"/> after those in the cache, keeps their keys and values, and returns the last token's logits.</summary>
    float[] Append(ReadOnlySpan<int> tokens);
}
