using OrleansSlm.Engine.Configuration;

namespace OrleansSlm.Engine.Decoding;

/// <summary>File names of the Hugging Face / Optimum ONNX export (<c>onnx/model.onnx</c> and its quantised variants).</summary>
public static class OnnxExportLayout
{
    public static string? FindGraph(string directory, ModelPrecision precision)
    {
        var onnx = Path.Combine(directory, "onnx");
        if (!Directory.Exists(onnx))
        {
            return null;
        }

        string[] candidates = precision switch
        {
            ModelPrecision.Fp32 => ["model.onnx"],
            ModelPrecision.Int8 => ["model_int8.onnx", "model_quantized.onnx", "model_q8.onnx"],
            _ => ["model_q4.onnx", "model_int4.onnx", "model_bnb4.onnx"],
        };
        var found = candidates.Select(name => Path.Combine(onnx, name)).FirstOrDefault(File.Exists);
        return found ?? throw new FileNotFoundException(
            $"{onnx} has no graph for precision {precision} (looked for {string.Join(", ", candidates)}; present: " +
            $"{string.Join(", ", Directory.GetFiles(onnx, "*.onnx").Select(Path.GetFileName))}). Set Model:Precision to one that is there.");
    }
}
