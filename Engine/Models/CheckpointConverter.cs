using Microsoft.Extensions.Logging;
using OrleansSlm.Engine.Configuration;

namespace OrleansSlm.Engine.Models;

/// <summary>Converts a safetensors checkpoint to the builder's graph once per precision, cached next to the checkpoint.</summary>
public static class CheckpointConverter
{
    public static string EnsureConverted(string directory, ModelPrecision precision, AttentionKernel attention, ILogger logger)
    {
        var graph = Path.Combine(directory, GraphNames.BuiltGraphFileName("orleansslm-model", precision, attention));
        if (!File.Exists(graph))
        {
            var description = ModelDescription.Load(Path.Combine(directory, "config.json"));
            logger.LogInformation("Converting the safetensors checkpoint in {Directory} to an ONNX graph ({Precision}, {Attention} attention)",
                directory, precision, attention);
            GraphFile.Write(KvSlotGraphBuilder.Build(description, new SafeTensorsWeightSource(directory), precision, attention), graph);
        }

        return graph;
    }
}
