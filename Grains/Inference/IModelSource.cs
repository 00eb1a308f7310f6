using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Decoding;

namespace OrleansSlm.Grains.Inference;

/// <summary>Where an inference silo gets its model: the model store in production; tests may wrap or replace the engine.</summary>
public interface IModelSource
{
    Task<LoadedModel> LoadAsync(ModelOptions options, CancellationToken cancellationToken);
}
