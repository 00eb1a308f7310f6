using System.Text.Json;

namespace OrleansSlm.Engine.Models;

/// <summary>
/// The weights of a Hugging Face checkpoint directory: <c>model.safetensors</c>, or the shards named by
/// <c>model.safetensors.index.json</c>.
/// </summary>
public sealed class SafeTensorsWeightSource : IWeightSource
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly Dictionary<string, SafeTensorsFile> _fileByTensor = new(StringComparer.Ordinal);

    public SafeTensorsWeightSource(string directory)
    {
        var index = Path.Combine(directory, IndexFileName);
        if (File.Exists(index))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(index));
            var shards = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
            foreach (var entry in document.RootElement.GetProperty("weight_map").EnumerateObject())
            {
                var shardName = entry.Value.GetString()!;
                if (!shards.TryGetValue(shardName, out var shard))
                {
                    shard = new SafeTensorsFile(Path.Combine(directory, shardName));
                    shards[shardName] = shard;
                }

                _fileByTensor[entry.Name] = shard;
            }
        }
        else if (File.Exists(Path.Combine(directory, SingleFileName)))
        {
            var file = new SafeTensorsFile(Path.Combine(directory, SingleFileName));
            foreach (var name in file.TensorNames)
            {
                _fileByTensor[name] = file;
            }
        }
        else
        {
            throw new FileNotFoundException($"{directory} holds neither {SingleFileName} nor {IndexFileName}.");
        }
    }

    public static bool IsCheckpoint(string directory) =>
        File.Exists(Path.Combine(directory, SingleFileName)) || File.Exists(Path.Combine(directory, IndexFileName));

    public bool Contains(string name) => _fileByTensor.ContainsKey(name);

    public float[] Read(string name, params int[] shape) =>
        _fileByTensor.TryGetValue(name, out var file)
            ? file.Read(name, shape)
            : throw new KeyNotFoundException($"The checkpoint holds no tensor '{name}'.");
}
