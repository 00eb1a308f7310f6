using Microsoft.Extensions.Logging.Abstractions;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Grains.Inference;
using OrleansSlm.Tests.Scheduling;

namespace OrleansSlm.Tests.Support;

/// <summary>The configured synthetic model (its tokenizer and template) with its decoder replaced for a test.</summary>
public sealed class SwappedDecoderModelSource(Func<IDecoder, ModelOptions, IDecoder> swap) : IModelSource
{
    /// <summary>The real decoder with every decode step slowed to <paramref name="stepTime"/>, so a test can act mid-generation.</summary>
    public static SwappedDecoderModelSource Paced(TimeSpan stepTime) => new((real, _) => new PacedDecoder(real, stepTime));

    /// <summary>A <see cref="FakeFixedLatencyDecoder"/> in place of the model: routing and scaling tests only.</summary>
    public static SwappedDecoderModelSource FakeFixedLatency(TimeSpan stepTime) => new((real, options) =>
    {
        real.Dispose();
        return new FakeFixedLatencyDecoder(real.Description, options.MaxBatch, real.MaxSequenceLength, stepTime);
    });

    public async Task<LoadedModel> LoadAsync(ModelOptions options, CancellationToken cancellationToken)
    {
        var model = await new ModelLoader(options, NullLogger.Instance).LoadAsync(cancellationToken);
        return model with { Decoder = swap(model.Decoder, options) };
    }
}
