using Microsoft.Extensions.Logging;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;
using OrleansSlm.Engine.ModelStore;
using OrleansSlm.ServiceDefaults.Hosting;

namespace OrleansSlm.Grains.Inference;

/// <summary>Resolves <c>Model:Id</c> through the model store (local directory, cache, Hugging Face, mirror, synthetic) and loads it.</summary>
public sealed class StoreModelSource(ModelStore store, ILogger<StoreModelSource> logger) : IModelSource
{
    public async Task<LoadedModel> LoadAsync(ModelOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await new ModelLoader(options, logger, store.ResolveAsync).LoadAsync(cancellationToken);
        }
        catch (ModelStoreException exception)
        {
            // The store's message names the model, the URL tried and the ways out: the one line start-up prints.
            throw new StartupException(exception.Message, exception);
        }
    }
}
