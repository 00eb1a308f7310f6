using OrleansSlm.Infrastructure.Onnx;

namespace OrleansSlm.Infrastructure.Models;

/// <summary>Writes a graph next to its final name and renames it into place, so a crash never leaves half a model.</summary>
public static class GraphFile
{
    public static void Write(OnnxModel model, string path)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            model.WriteTo(stream);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
