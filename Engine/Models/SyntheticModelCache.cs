using Microsoft.Extensions.Logging;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Text;

namespace OrleansSlm.Engine.Models;

/// <summary>Builds a synthetic model's directory (config.json, tokenizer, graph per precision) on first use and reuses it.</summary>
public static class SyntheticModelCache
{
    public static string Ensure(SyntheticModel model, ModelPrecision precision, AttentionKernel attention, string cacheDirectory, ILogger logger)
    {
        var directory = Path.Combine(cacheDirectory, model.Id);
        Directory.CreateDirectory(directory);
        using var buildLock = AcquireLock(Path.Combine(directory, ".build.lock"));
        var config = Path.Combine(directory, "config.json");
        if (!File.Exists(config))
        {
            if (model.Description.IsGemma3)
            {
                SyntheticGemmaTokenizer.Write(directory, model.Description.VocabSize);
            }
            else
            {
                SyntheticTokenizer.Write(directory, model.Description.VocabSize);
            }

            model.Description.Save(config);
        }

        var graph = GraphPath(directory, precision, attention);
        if (!File.Exists(graph))
        {
            logger.LogInformation("Building synthetic model {Model} ({Precision}, {Attention} attention) in {Directory}: random weights, its output is noise",
                model.Id, precision, attention, directory);
            GraphFile.Write(KvSlotGraphBuilder.Build(model.Description, model.CreateWeights(), precision, attention), graph);
        }

        return directory;
    }

    /// <summary>Several silos on one machine may share a cache: one builds, the others wait and then reuse its files.</summary>
    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    public static string GraphPath(string directory, ModelPrecision precision, AttentionKernel attention) =>
        Path.Combine(directory, GraphNames.BuiltGraphFileName("model", precision, attention));
}
