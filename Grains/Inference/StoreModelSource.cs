using Microsoft.Extensions.Logging;
using OrleansSlm.Infrastructure.Configuration;
using OrleansSlm.Infrastructure.Engine;
using OrleansSlm.Infrastructure.ModelStore;

namespace OrleansSlm.Grains.Inference;

/// <summary>Resolves <c>Model:Id</c> through the model store (local directory, cache, Hugging Face, mirror, synthetic) and loads it.</summary>
public sealed class StoreModelSource(ModelStore store, ILogger<StoreModelSource> logger) : IModelSource
{
    public Task<LoadedModel> LoadAsync(ModelOptions options, CancellationToken cancellationToken) =>
        new ModelLoader(options, logger, store.ResolveAsync).LoadAsync(cancellationToken);
}
