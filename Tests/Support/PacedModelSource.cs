using Microsoft.Extensions.Logging.Abstractions;
using OrleansSlm.Grains.Inference;
using OrleansSlm.Infrastructure.Configuration;
using OrleansSlm.Infrastructure.Engine;
using OrleansSlm.Tests.Scheduling;

namespace OrleansSlm.Tests.Support;

/// <summary>The configured (synthetic) model with decode steps slowed to <paramref name="stepTime"/>, so a test can act mid-generation.</summary>
public sealed class PacedModelSource(TimeSpan stepTime) : IModelSource
{
    public async Task<LoadedModel> LoadAsync(ModelOptions options, CancellationToken cancellationToken)
    {
        var model = await new ModelLoader(options, NullLogger.Instance).LoadAsync(cancellationToken);
        return model with { Decoder = new PacedDecoder(model.Decoder, stepTime) };
    }
}
