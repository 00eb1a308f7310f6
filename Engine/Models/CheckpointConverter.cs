using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OrleansSlm.Engine.Configuration;

namespace OrleansSlm.Engine.Models;

/// <summary>
/// Converts a safetensors checkpoint to the builder's graph once per precision and attention kernel. The graph goes to
/// the cache directory, never next to the weights, so the model directory may be a read-only volume or an image
/// layer; it is kept under a key of the checkpoint's identity and content, so changed weights are converted again.
/// </summary>
public static class CheckpointConverter
{
    public const string ConvertedDirectoryName = "converted";

    public static string EnsureConverted(string directory, ModelPrecision precision, AttentionKernel attention, string cacheDirectory, ILogger logger)
    {
        var target = Path.Combine(cacheDirectory, ConvertedDirectoryName, ConversionKey(directory));
        var graph = Path.Combine(target, GraphNames.BuiltGraphFileName("orleansslm-model", precision, attention));
        if (!File.Exists(graph))
        {
            var description = ModelDescription.Load(Path.Combine(directory, "config.json"));
            logger.LogInformation("Converting the safetensors checkpoint in {Directory} to an ONNX graph ({Precision}, {Attention} attention) in {Target}",
                directory, precision, attention, target);
            Directory.CreateDirectory(target);
            // GraphFile writes beside the target and renames: a conversion cut short leaves no graph that looks whole.
            GraphFile.Write(KvSlotGraphBuilder.Build(description, new SafeTensorsWeightSource(directory), precision, attention), graph);
        }

        return graph;
    }

    /// <summary>
    /// The directory's name and a digest of its full path, its configuration and every checkpoint file's name, size
    /// and modification time: enough to notice replaced weights without reading gigabytes at every start.
    /// </summary>
    public static string ConversionKey(string directory)
    {
        var full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        var summary = new StringBuilder(full).Append('\n').Append(File.ReadAllText(Path.Combine(full, "config.json"))).Append('\n');
        foreach (var file in Directory.EnumerateFiles(full, "*.safetensors*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            summary.Append(Path.GetRelativePath(full, file)).Append(' ').Append(info.Length).Append(' ').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(summary.ToString())))[..16];
        return $"{Path.GetFileName(full)}-{digest}";
    }
}
