using OrleansSlm.Infrastructure.Models;

namespace OrleansSlm.Infrastructure.Engine;

/// <summary>A loaded decoder-only model that runs sequences with a KV cache.</summary>
public interface IDecoder : IDisposable
{
    ModelDescription Description { get; }

    /// <summary>The longest sequence one KV cache can hold.</summary>
    int MaxSequenceLength { get; }

    /// <summary>Starts an empty sequence; fails when every KV cache slot is taken.</summary>
    IDecoderSequence StartSequence();
}
