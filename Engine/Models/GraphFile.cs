using OrleansSlm.Engine.Onnx;

namespace OrleansSlm.Engine.Models;

/// <summary>Writes a graph next to its final name and renames it into place, so a crash never leaves half a model.</summary>
public static class GraphFile
{
    public static void Write(OnnxModel model, string path)
    {
        var temporary = TemporaryPath(path);
        using (var stream = Create(temporary))
        {
            model.WriteTo(stream);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Writes the graph with its weights in <paramref name="dataFileName"/> next to it (external data). The data file
    /// is moved into place first, so that a graph never stands without its weights.
    /// </summary>
    public static void Write(OnnxModel model, string path, string dataFileName)
    {
        var dataPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, dataFileName);
        var temporaryGraph = TemporaryPath(path);
        var temporaryData = TemporaryPath(dataPath);
        using (var graph = Create(temporaryGraph))
        using (var data = Create(temporaryData))
        {
            model.WriteTo(graph, data, dataFileName);
        }

        File.Move(temporaryData, dataPath, overwrite: true);
        File.Move(temporaryGraph, path, overwrite: true);
    }

    private static string TemporaryPath(string path) => $"{path}.{Environment.ProcessId}.tmp";

    private static FileStream Create(string path) => new(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
}
