using Microsoft.Extensions.Logging.Abstractions;
using OrleansSlm.Grains.Inference;
using OrleansSlm.Infrastructure.Configuration;
using OrleansSlm.Infrastructure.Engine;

namespace OrleansSlm.Tests.Support;

/// <summary>The configured model's tokenizer and template in front of a <see cref="FakeFixedLatencyDecoder"/> (routing and scaling tests only).</summary>
public sealed class FakeModelSource(TimeSpan stepTime) : IModelSource
{
    public async Task<LoadedModel> LoadAsync(ModelOptions options, CancellationToken cancellationToken)
    {
        var real = await new ModelLoader(options, NullLogger.Instance).LoadAsync(cancellationToken);
        real.Decoder.Dispose();
        var fake = new FakeFixedLatencyDecoder(real.Decoder.Description, options.MaxBatch, real.Decoder.MaxSequenceLength, stepTime);
        return real with { Decoder = fake };
    }
}
