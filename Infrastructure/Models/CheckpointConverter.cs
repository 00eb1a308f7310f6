using Microsoft.Extensions.Logging;
using OrleansSlm.Infrastructure.Configuration;

namespace OrleansSlm.Infrastructure.Models;

/// <summary>Converts a safetensors checkpoint to the builder's graph once per precision, cached next to the checkpoint.</summary>
public static class CheckpointConverter
{
    public static string EnsureConverted(string directory, ModelPrecision precision, ILogger logger)
    {
        var graph = Path.Combine(directory, GraphNames.BuiltGraphFileName("orleansslm-model", precision));
        if (!File.Exists(graph))
        {
            var description = ModelDescription.Load(Path.Combine(directory, "config.json"));
            logger.LogInformation("Converting the safetensors checkpoint in {Directory} to an ONNX graph ({Precision})", directory, precision);
            GraphFile.Write(SharedKvGraphBuilder.Build(description, new SafeTensorsWeightSource(directory), precision), graph);
        }

        return graph;
    }
}
