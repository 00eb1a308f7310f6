using System.Text.Json;

namespace OrleansSlm.Engine.ModelStore;

/// <summary>
/// A mirror's <c>manifest.json</c>: <c>{"files": {"onnx/model.onnx": {"sha256": "…", "size": 123}, …}}</c>,
/// written by <c>scripts/write-model-manifest.sh</c>. It gives the checksums the hub would give in its headers.
/// </summary>
internal sealed class ModelManifest(IReadOnlyDictionary<string, string> sha256ByFile)
{
    public const string FileName = "manifest.json";

    public string? Sha256Of(string file) => sha256ByFile.GetValueOrDefault(file);

    public static ModelManifest Parse(string json, Uri url)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var files = document.RootElement.GetProperty("files");
            return new ModelManifest(files.EnumerateObject().ToDictionary(
                entry => entry.Name,
                entry => entry.Value.GetProperty("sha256").GetString()!.ToLowerInvariant(),
                StringComparer.Ordinal));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ModelStoreException($"The manifest at {url} is not valid: expected {{\"files\": {{\"<path>\": {{\"sha256\": \"<hex>\"}}}}}} ({e.Message}).", e);
        }
    }
}
