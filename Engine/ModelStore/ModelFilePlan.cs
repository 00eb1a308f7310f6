using OrleansSlm.Engine.Configuration;

namespace OrleansSlm.Engine.ModelStore;

/// <summary>Which files a model needs: configuration, tokenizer, and the weights for the configured precision, in order of preference.</summary>
internal static class ModelFilePlan
{
    public static readonly ModelFile[] Configuration =
    [
        new("config.json", Optional: false),
        new("generation_config.json", Optional: true),
        new("tokenizer_config.json", Optional: true),
        new("special_tokens_map.json", Optional: true),
        new("tokenizer.json", Optional: true),
        new("vocab.json", Optional: true),
        new("merges.txt", Optional: true),
        new("tokenizer.model", Optional: true),
    ];

    /// <summary>ONNX exports by precision (the first that exists wins); each may carry external data.</summary>
    public static IReadOnlyList<string> OnnxCandidates(ModelPrecision precision) => precision switch
    {
        ModelPrecision.Int8 => ["onnx/model_int8.onnx", "onnx/model_quantized.onnx"],
        ModelPrecision.Int4 => ["onnx/model_q4.onnx"],
        _ => ["onnx/model.onnx"],
    };

    public const string SafetensorsFile = "model.safetensors";

    public const string SafetensorsIndexFile = "model.safetensors.index.json";
}
