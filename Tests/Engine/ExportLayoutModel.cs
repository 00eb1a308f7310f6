using System.Text.Json.Nodes;
using OrleansSlm.Engine.Configuration;
using OrleansSlm.Engine.Models;
using OrleansSlm.Engine.Onnx;
using OrleansSlm.Engine.Text;

namespace OrleansSlm.Tests.Engine;

/// <summary>A model directory as the Hugging Face hub holds an ONNX export: configuration, tokenizer, <c>onnx/model*.onnx</c> with external data.</summary>
public static class ExportLayoutModel
{
    public static string GraphFileName(ModelPrecision precision) => precision switch
    {
        ModelPrecision.Fp32 => "model.onnx",
        ModelPrecision.Int8 => "model_int8.onnx",
        _ => "model_q4.onnx",
    };

    /// <summary>Writes the tiny model's configuration and tokenizer, and its seeded weights as an export graph.</summary>
    public static void Write(string directory, ModelPrecision precision)
    {
        WriteFilesAround(directory);
        var graph = Path.Combine(directory, "onnx", GraphFileName(precision));
        GraphFile.Write(ExportLayoutGraphBuilder.Build(TinyModel.Description, TinyModel.Synthetic.CreateWeights(), precision), graph, GraphFileName(precision) + "_data");
    }

    /// <summary>Writes the configuration and tokenizer, and <paramref name="graph"/> as <c>onnx/model.onnx</c>.</summary>
    public static void Write(string directory, OnnxModel graph)
    {
        WriteFilesAround(directory);
        GraphFile.Write(graph, Path.Combine(directory, "onnx", "model.onnx"));
    }

    /// <summary>
    /// A Gemma 3 export as onnx-community publishes one: config.json naming one end id, generation_config.json two, a
    /// Gemma-style tokenizer.json only, and <c>onnx/model.onnx</c> with fused attention and external data.
    /// </summary>
    public static void WriteGemma(string directory, ModelDescription gemma, IWeightSource weights, ModelPrecision precision)
    {
        Directory.CreateDirectory(Path.Combine(directory, "onnx"));
        (gemma with { EosTokenIds = [1] }).Save(Path.Combine(directory, "config.json"));
        File.WriteAllText(Path.Combine(directory, ModelDescription.GenerationConfigFileName), """{"bos_token_id": 2, "eos_token_id": [1, 106]}""");
        SyntheticGemmaTokenizer.Write(directory, gemma.VocabSize);
        GraphFile.Write(ExportLayoutGraphBuilder.Build(gemma, weights, precision), Path.Combine(directory, "onnx", GraphFileName(precision)), GraphFileName(precision) + "_data");
    }

    private static void WriteFilesAround(string directory)
    {
        Directory.CreateDirectory(Path.Combine(directory, "onnx"));
        TinyModel.Description.Save(Path.Combine(directory, "config.json"));
        var generation = new JsonObject { ["bos_token_id"] = TinyModel.Description.BosTokenId, ["eos_token_id"] = TinyModel.Description.EosTokenIds[0] };
        File.WriteAllText(Path.Combine(directory, "generation_config.json"), generation.ToJsonString());
        SyntheticTokenizer.Write(directory, TinyModel.Description.VocabSize);
    }
}
