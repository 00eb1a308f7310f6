using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Models;
using OrleansSlm.Engine.Text;

namespace OrleansSlm.Engine.Decoding;

/// <summary>
/// Turns <c>Model:Id</c> into a running model: synthetic ids are built into the cache directory; a local directory
/// (or one that <paramref name="resolveRemote"/> downloads) is served from its safetensors checkpoint, converted
/// once into the cache directory (Llama family, Gemma 3), or else from its ONNX export (<c>onnx/model*.onnx</c>).
/// </summary>
public sealed class ModelLoader(ModelOptions options, ILogger logger, Func<string, CancellationToken, Task<string>>? resolveRemote = null)
{
    public async Task<LoadedModel> LoadAsync(CancellationToken cancellationToken)
    {
        var synthetic = SyntheticModels.IsSynthetic(options.Id);
        var attention = options.ResolveAttention();
        var directory = synthetic
            ? await Task.Run(() => SyntheticModelCache.Ensure(SyntheticModels.Get(options.Id), options.Precision, attention, options.ResolveCacheDirectory(), logger), cancellationToken)
            : await ResolveDirectoryAsync(cancellationToken);

        var description = ModelDescription.Load(Path.Combine(directory, "config.json"));
        // A checkpoint the builder reads wins over an export: its builder graph batches rows of different lengths. One
        // whose config asks for what the builder does not write (a rope_scaling type, biases) gives way to an export.
        var useCheckpoint = !synthetic && description.IsBuildable && SafeTensorsWeightSource.IsCheckpoint(directory);
        var exportGraph = synthetic || useCheckpoint ? null : OnnxExportLayout.FindGraph(directory, options.Precision);
        var graph = synthetic
            ? SyntheticModelCache.GraphPath(directory, options.Precision, attention)
            : exportGraph ?? (SafeTensorsWeightSource.IsCheckpoint(directory)
                ? await Task.Run(() => CheckpointConverter.EnsureConverted(directory, options.Precision, attention, options.ResolveCacheDirectory(), logger), cancellationToken)
                : throw new FileNotFoundException(
                    $"{directory} holds neither an ONNX export (onnx/model*.onnx) nor a safetensors checkpoint (model.safetensors)."));

        var decoder = Open(graph, description, options);
        var tokenizer = TokenizerLoader.Load(directory);
        logger.LogInformation("Loaded {Kind} model {Model} from {Graph} ({Layout}, {Precision}, device {Device})",
            synthetic ? "synthetic" : "real", options.Id, graph, decoder is KvSlotDecoder ? "KV cache slots" : "ONNX export layout",
            options.Precision, options.Device);
        return new LoadedModel(options.Id, directory, graph, synthetic, decoder, tokenizer, ChatTemplates.ForModelType(description.ModelType));
    }

    /// <summary>Opens a graph with the decoder its layout needs (the builder's metadata marks its own graphs).</summary>
    public static IDecoder Open(string graphPath, ModelDescription description, ModelOptions options)
    {
        var session = SessionFactory.Create(graphPath, options);
        try
        {
            var layout = session.ModelMetadata.CustomMetadataMap.GetValueOrDefault(GraphNames.LayoutMetadataKey);
            return layout == GraphNames.KvSlotLayout
                ? new KvSlotDecoder(session, description, options.MaxBatch, Math.Min(options.MaxContext, description.MaxPositionEmbeddings))
                : new ExportLayoutDecoder(session, description, options.MaxContext);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private async Task<string> ResolveDirectoryAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(options.Id))
        {
            return Path.GetFullPath(options.Id);
        }

        if (resolveRemote is null)
        {
            throw new DirectoryNotFoundException(
                $"Model '{options.Id}' is not a local directory and no model store is configured to download it. " +
                $"Set Model:Id to a local model directory or to a synthetic model ({SyntheticModels.TinyId}, {SyntheticModels.SmolLm2Id}, {SyntheticModels.Gemma3Id}).");
        }

        return await resolveRemote(options.Id, cancellationToken);
    }
}
